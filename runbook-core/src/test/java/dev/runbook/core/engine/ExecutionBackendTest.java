package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.oomIncident;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seam where an approved plan leaves the engine: the guards stay the engine's, the backend runs the steps with a
 * {@link StepExecutor} (here in the same process, as a Temporal worker would), and the engine records and notifies.
 */
class ExecutionBackendTest {
    private final TestClock clock = new TestClock();

    private static Runbook runbook(Safety safety) {
        return Runbook.builder("oom-v1").trigger(Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.8).build())
                .safety(safety)
                .step(ActionStep.builder("first", "touch").param("value", "one").outputVar("first_out").build())
                .step(ActionStep.builder("second", "touch").param("value", "{{ first_out.value }}-two").build())
                .rollbackStep(ActionStep.builder("undo", "touch").param("value", "undo").build())
                .build();
    }

    /** Runs the plan's steps one StepCall at a time, carrying the variables, as runbook-temporal's workflow does. */
    private static final class StepByStep implements ExecutionBackend {
        final AtomicReference<StepExecutor> steps = new AtomicReference<>();
        final List<Plan> plans = new CopyOnWriteArrayList<>();

        @Override
        public Outcome execute(Plan plan) {
            plans.add(plan);
            Map<String, Object> vars = new HashMap<>(plan.variables());
            var results = new ArrayList<StepResult>();
            var actions = new ArrayList<String>();
            for (int i = 0; i < plan.runbook().steps().steps().size(); i++) {
                var run = steps.get().run(new StepExecutor.StepCall(plan.executionId(), plan.runbook().id(),
                        plan.incident(), i, false, vars, plan.heldLocks()));
                results.addAll(run.results());
                actions.addAll(run.actionsTaken());
                vars = new HashMap<>(run.variables());
                if (run.failed()) {
                    return new Outcome(ExecutionStatus.FAILED, results, List.of(), actions, run.error(), vars);
                }
            }
            return new Outcome(ExecutionStatus.SUCCEEDED, results, List.of(), actions, Optional.empty(), vars);
        }
    }

    private RunbookEngine.Builder engine(Safety safety, ExecutionBackend backend) {
        return RunbookEngine.builder().discoverActions(false).clock(clock).runbook(runbook(safety))
                .actions(FakeCluster.touch("touch")).executionBackend(backend);
    }

    @Test
    void theBackendRunsTheApprovedPlanStepByStepWithTheLocksTheEngineHolds() {
        var backend = new StepByStep();
        var events = new CopyOnWriteArrayList<String>();
        try (RunbookEngine engine = engine(Safety.builder().dryRunFirst(true).build(), backend)
                .listener(new ExecutionListener() {
                    @Override
                    public void stepFinished(String executionId, String runbookId, StepResult result) {
                        events.add((result.dryRun() ? "dry " : "") + result.name());
                    }
                }).build()) {
            backend.steps.set(engine.stepExecutor());

            Execution e = engine.handle(oomIncident("i1"));

            assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.dryRunSteps()).extracting(StepResult::name).containsExactly("first", "second");
            assertThat(e.steps()).extracting(StepResult::name).containsExactly("first", "second");
            assertThat(e.steps().get(1).params()).containsEntry("value", "one-two");
            assertThat(e.actionsTaken()).hasSize(2);
            // the resource lock the guards took is the execution's: the steps did not ask for it again
            assertThat(backend.plans).singleElement().satisfies(p -> {
                assertThat(p.executionId()).isEqualTo(e.id());
                assertThat(p.heldLocks()).isNotEmpty();
                assertThat(p.variables()).doesNotContainKeys("incident", "execution");
            });
            assertThat(events).containsExactly("dry first", "dry second", "first", "second");
        }
    }

    @Test
    void aDeniedPlanNeverReachesTheBackend() {
        var backend = new StepByStep();
        try (RunbookEngine engine = engine(Safety.builder().requireApproval(true).build(), backend)
                .approvalGateway(ApprovalGateway.denyAll(clock)).build()) {
            Execution e = engine.handle(oomIncident("i1"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(backend.plans).isEmpty();
        }
    }

    @Test
    void aBackendThatThrowsIsRecordedAsTheExecutionsFailure() {
        // FAULT STAND-IN: a backend whose service is unreachable (a real Temporal client would throw the same way)
        ExecutionBackend unreachable = plan -> {
            throw new IllegalStateException("UNAVAILABLE: temporal:7233");
        };
        try (RunbookEngine engine = engine(Safety.builder().build(), unreachable).build()) {
            Execution e = engine.handle(oomIncident("i1"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(e.error()).hasValue("execution backend failed: UNAVAILABLE: temporal:7233");
            assertThat(e.steps()).isEmpty();
        }
    }

    /** Runs until told to stop, as a remote workflow does; the engine's thread waits in execute meanwhile. */
    private static final class UntilCancelled implements ExecutionBackend {
        final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CompletableFuture<String> cancelled = new java.util.concurrent.CompletableFuture<>();

        @Override
        public Outcome execute(Plan plan) {
            started.countDown();
            try {
                String id = cancelled.get();
                return new Outcome(ExecutionStatus.CANCELLED, List.of(), List.of(), List.of(),
                        Optional.of("cancelled " + id), Map.of());
            } catch (InterruptedException e) {
                return new Outcome(ExecutionStatus.FAILED, List.of(), List.of(), List.of(),
                        Optional.of("the engine interrupted the thread waiting for the backend"), Map.of());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean cancel(String executionId) {
            cancelled.complete(executionId);
            return true;
        }
    }

    @Test
    void cancelGoesToTheBackendInsteadOfInterruptingTheThreadThatWaitsForIt() throws Exception {
        var backend = new UntilCancelled();
        try (RunbookEngine engine = engine(Safety.builder().build(), backend).build()) {
            SubmittedExecution running = engine.submit(oomIncident("i1"));
            assertThat(backend.started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            assertThat(engine.cancel(running.executionId())).isEqualTo(1);
            Execution e = running.result().get(30, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(e.status()).isEqualTo(ExecutionStatus.CANCELLED);
            assertThat(e.error()).hasValue("cancelled " + running.executionId());
        }
    }

    @Test
    void failuresOnTheBackendCountTowardPauseAfterAsInProcessOnes() {
        var backend = new StepByStep();
        Runbook rb = Runbook.builder("oom-v1").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().pauseAfter(2, java.time.Duration.ofHours(1)).build())
                .step(ActionStep.builder("bump", "bump").build()).build();
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb)
                .actions(EngineTestSupport.failing("bump", "the new limit did not hold"))
                .executionBackend(backend).build()) {
            backend.steps.set(engine.stepExecutor());

            Execution first = engine.handle(oomIncident("i1", "p1", 0.9));
            assertThat(first.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(engine.pauseState("oom-v1")).isEmpty();
            Execution second = engine.handle(oomIncident("i2", "p2", 0.9));
            assertThat(second.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(engine.pauseState("oom-v1")).hasValueSatisfying(s ->
                    assertThat(s.executions()).containsExactly(first.id(), second.id()));

            Execution refused = engine.handle(oomIncident("i3", "p3", 0.9));
            assertThat(refused.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(refused.denial().orElseThrow().guard()).isEqualTo("paused");
            assertThat(backend.plans).hasSize(2);
        }
    }

    @Test
    void aPlanWhoseStartTheJournalCannotRecordNeverReachesTheBackend() {
        var backend = new StepByStep();
        // FAULT STAND-IN: a journal whose database is gone (an in-memory journal cannot fail on demand)
        ExecutionJournal broken = new ExecutionJournal() {
            @Override
            public void started(JournalStart start) {
                throw new IllegalStateException("journal database unreachable");
            }

            @Override
            public void intent(StepIntent intent) {
                throw new IllegalStateException("journal database unreachable");
            }

            @Override
            public void stepRecorded(String executionId, StepResult result, boolean rollback, Map<String, Object> v) {
            }

            @Override
            public void finished(Execution execution) {
            }

            @Override
            public void renewLease(String executionId, String owner, java.time.Instant until) {
            }

            @Override
            public List<JournaledExecution> orphans(java.time.Instant now) {
                return List.of();
            }

            @Override
            public Optional<JournaledExecution> claim(String id, String owner, java.time.Instant now,
                                                      java.time.Instant until) {
                return Optional.empty();
            }
        };
        try (RunbookEngine engine = engine(Safety.builder().build(), backend).journal(broken).build()) {
            backend.steps.set(engine.stepExecutor());

            Execution e = engine.handle(oomIncident("i1"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(e.error()).hasValue("the execution journal could not be written, so nothing was changed: "
                    + "journal database unreachable");
            assertThat(backend.plans).isEmpty();
        }
    }

    @Test
    void aStepOfAnUnknownRunbookOrPositionIsRefusedNamingIt() {
        try (RunbookEngine engine = engine(Safety.builder().build(), new StepByStep()).build()) {
            StepExecutor steps = engine.stepExecutor();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> steps.run(new StepExecutor.StepCall("x", "nope",
                    oomIncident("i1"), 0, false, Map.of(), java.util.Set.of())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runbook 'nope' is not in this");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> steps.run(new StepExecutor.StepCall("x", "oom-v1",
                    oomIncident("i1"), 5, false, Map.of(), java.util.Set.of())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 2 steps, no step 5");
        }
    }

    /** a-cheap's plan fails at its escalating step; b-bigger's, the escalation, runs until the engine cancels it. */
    private static final class EscalatingBackend implements ExecutionBackend {
        final CountDownLatch childStarted = new CountDownLatch(1);
        final CountDownLatch stop = new CountDownLatch(1);
        final List<String> executed = new CopyOnWriteArrayList<>();
        final List<String> cancels = new CopyOnWriteArrayList<>();

        @Override
        public Outcome execute(Plan plan) {
            executed.add(plan.executionId());
            if (plan.runbook().id().equals("a-cheap")) {
                return new Outcome(ExecutionStatus.ROLLED_BACK, List.of(), List.of(), List.of(),
                        Optional.of("step 'fix' failed"), Map.of("failed_step", "fix"));
            }
            childStarted.countDown();
            boolean stopped = false;
            while (!stopped) {
                try {
                    stopped = stop.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    // the engine cancels through cancel(), never by interrupting this thread
                }
            }
            return new Outcome(ExecutionStatus.CANCELLED, List.of(), List.of(), List.of(),
                    Optional.of("execution cancelled"), Map.of());
        }

        @Override
        public boolean cancel(String executionId) {
            cancels.add(executionId);
            stop.countDown();
            return true;
        }
    }

    private RunbookEngine.Builder escalatingEngine(ExecutionBackend backend) {
        var trigger = Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.8).build();
        return RunbookEngine.builder().discoverActions(false).clock(clock).actions(FakeCluster.touch("touch"))
                .executionBackend(backend)
                .runbook(Runbook.builder("a-cheap").trigger(trigger)
                        .step(ActionStep.builder("fix", "touch").onFailure(dev.runbook.core.model.OnFailure.ESCALATE)
                                .build()).build())
                .runbook(Runbook.builder("b-bigger").trigger(trigger)
                        .step(ActionStep.builder("fix", "touch").build()).build());
    }

    @Test
    @Timeout(20)
    void anEscalationOnTheBackendIsCancelledThereByItsOwnIdOnce() throws Exception {
        var backend = new EscalatingBackend();
        try (RunbookEngine engine = escalatingEngine(backend).build()) {
            SubmittedExecution submitted = engine.submit(oomIncident("i1"));
            assertThat(backend.childStarted.await(5, TimeUnit.SECONDS)).isTrue();
            String child = backend.executed.get(1);
            assertThat(engine.runningExecutions()).containsExactlyInAnyOrder(submitted.executionId(), child);

            assertThat(engine.cancel(child)).isEqualTo(1);
            engine.cancel(child); // asked again (it may have ended by now): the backend is not asked twice

            Execution e = submitted.result().get(5, TimeUnit.SECONDS);
            assertThat(e.escalatedTo().orElseThrow().id()).isEqualTo(child);
            assertThat(e.escalatedTo().orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
            assertThat(backend.cancels).containsExactly(child);
            assertThat(engine.runningExecutions()).isEmpty();
        }
    }

    @Test
    @Timeout(20)
    void closingAsksTheBackendToCancelARunningEscalationExactlyOnce() throws Exception {
        var backend = new EscalatingBackend();
        RunbookEngine engine = escalatingEngine(backend).closeGrace(Duration.ZERO).build();
        SubmittedExecution submitted = engine.submit(oomIncident("i1"));
        assertThat(backend.childStarted.await(5, TimeUnit.SECONDS)).isTrue();
        String child = backend.executed.get(1);

        engine.close();

        assertThat(backend.cancels).containsExactly(child);
        assertThat(engine.runningExecutions()).isEmpty();
        Execution e = submitted.result().get(5, TimeUnit.SECONDS);
        assertThat(e.escalatedTo().orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
    }

    @Test
    void anAttemptTheBackendAbandonedKeepsTheEnginesLocksUntilTheirTtlRunsOut() {
        ExecutionBackend abandoning = plan -> new ExecutionBackend.Outcome(ExecutionStatus.ABANDONED, List.of(), List.of(),
                List.of(), Optional.of("step 'first' failed: attempt 1 of step 'first' was still running 1m later"),
                Map.of());
        try (RunbookEngine engine = engine(Safety.builder().build(), abandoning).lockTtl(java.time.Duration.ofMinutes(5))
                .build()) {
            Execution e = engine.handle(oomIncident("i1", "p1", 0.9));
            assertThat(e.status()).isEqualTo(ExecutionStatus.ABANDONED);
            assertThat(e.error()).hasValue("step 'first' failed: attempt 1 of step 'first' was still running 1m later; "
                    + "this engine's locks stay held until their ttl (5m) runs out");

            // the worker's thread may still be writing to p1: no new execution on it until the locks run out
            Execution meanwhile = engine.handle(oomIncident("i2", "p1", 0.9));
            assertThat(meanwhile.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(meanwhile.denial().orElseThrow().guard()).isEqualTo("dedupe");
            clock.advance(java.time.Duration.ofMinutes(6));
            assertThat(engine.handle(oomIncident("i3", "p1", 0.9)).status()).isEqualTo(ExecutionStatus.ABANDONED);
        }
    }

    @Test
    void aBackendThatCannotTellHowThePlanWentLeavesTheJournalEntryToRecoveryAndCountsNothing() {
        ExecutionBackend lost = plan -> {
            throw new ExecutionBackend.OutcomeUnknownException("the start's answer was lost", new RuntimeException("timeout"));
        };
        var journal = new InMemoryExecutionJournal();
        try (RunbookEngine engine = engine(Safety.builder().pauseAfter(1, java.time.Duration.ofHours(1)).build(), lost)
                .journal(journal).lockTtl(java.time.Duration.ofMinutes(5)).build()) {
            Execution e = engine.handle(oomIncident("i1", "p1", 0.9));

            assertThat(e.status()).isEqualTo(ExecutionStatus.ABANDONED);
            assertThat(e.error()).hasValueSatisfying(m -> assertThat(m).startsWith("the start's answer was lost; its "
                    + "journal entry is left for recovery"));
            assertThat(engine.pauseState("oom-v1")).as("counted once recovery knows the outcome").isEmpty();
            assertThat(engine.handle(oomIncident("i2", "p1", 0.9)).status()).isEqualTo(ExecutionStatus.DENIED);
            // unfinished, its lease no longer renewed: recovery finds it once the lease runs out
            assertThat(journal.orphans(clock.instant())).isEmpty();
            assertThat(journal.orphans(clock.instant().plus(java.time.Duration.ofMinutes(6))))
                    .extracting(ExecutionJournal.JournaledExecution::executionId).containsExactly(e.id());
        }
    }
}
