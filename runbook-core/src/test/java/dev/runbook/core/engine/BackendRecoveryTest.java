package dev.runbook.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.core.notify.NotificationMessage;
import dev.runbook.core.notify.Notifier;
import dev.runbook.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recovery of executions an engine handed to its {@link ExecutionBackend} before it died: the plan ran on without it,
 * and another engine sharing the journal writes what the dead one could not (record, notifications, the count
 * toward {@code pause_after}, its locks freed) without running a step itself.
 *
 * <p>{@link Cluster} is a stand-in for a workflow cluster: plans it is handed run "elsewhere" and end when the test
 * says; runbook-temporal's {@code TemporalRecoveryTest} does the same against Temporal's test server. A host "dies"
 * as in {@link RecoveryTest}: its thread hangs in {@code execute} for good and it never renews its lease again.
 */
class BackendRecoveryTest {
    private final TestClock clock = new TestClock();
    private final InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    private final InMemoryGuardStore guards = new InMemoryGuardStore();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<String> ranHere = new CopyOnWriteArrayList<>();

    /**
     * A workflow cluster stand-in. A plan of an execution whose id starts with {@code frozen-} is handed over and its
     * engine's thread never comes back (the host died); it ends when the test completes its outcome. Other plans
     * succeed at once.
     */
    private static final class Cluster implements ExecutionBackend {
        final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
        final CountDownLatch handedOver = new CountDownLatch(1);
        final AtomicInteger asked = new AtomicInteger();
        final CountDownLatch askedOnce = new CountDownLatch(1);
        volatile RuntimeException unreachable;

        @Override
        public Outcome execute(Plan plan) {
            if (!plan.executionId().startsWith("frozen-")) {
                return new Outcome(ExecutionStatus.SUCCEEDED, List.of(), List.of(), List.of(), Optional.empty(), Map.of());
            }
            outcomes.computeIfAbsent(plan.executionId(), id -> new CompletableFuture<>());
            handedOver.countDown();
            try {
                new CountDownLatch(1).await(); // the host is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the frozen host came back");
        }

        @Override
        public boolean recoversExecutions() {
            return true;
        }

        @Override
        public Outcome awaitOutcome(String executionId) {
            asked.incrementAndGet();
            askedOnce.countDown();
            RuntimeException down = unreachable;
            if (down != null) {
                throw down;
            }
            CompletableFuture<Outcome> o = outcomes.get(executionId);
            if (o == null) {
                return new Outcome(ExecutionStatus.DENIED, List.of(), List.of(), List.of(),
                        Optional.of("no workflow " + executionId + ": it never started"), Map.of());
            }
            try {
                return o.get(30, TimeUnit.SECONDS); // bounded, so that a broken test fails instead of hanging
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Cluster cluster = new Cluster();

    private static Incident incident(String id) {
        return Incident.builder(id).rootCause("OOMKilled", 0.9).resource("Pod", "default", "web-1").cluster("prod").build();
    }

    private static Runbook runbook() {
        return Runbook.builder("memory-fix").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().pauseAfter(1, Duration.ofHours(1)).build())
                .step(ActionStep.builder("bump", "bump").build())
                .rollbackStep(ActionStep.builder("undo", "bump").build())
                .notifications(new Notifications(List.of(new Notification("test", ParamValue.mapOf(
                        Map.of("message", "fixed {{ incident.incident_id }}")))), List.of(new Notification("test",
                        ParamValue.mapOf(Map.of("message", "failed: {{ error_message }}"))))))
                .build();
    }

    private Action bump() {
        return new FakeCluster.Simple("bump", true, ParamSchema.open()) {
            @Override
            public ActionResult execute(dev.runbook.core.action.ActionContext ctx) {
                ranHere.add(ctx.executionId()); // the backend runs the steps: recovery never may
                return ActionResult.empty();
            }
        };
    }

    private Notifier notifier() {
        return new Notifier() {
            @Override
            public String channel() {
                return "test";
            }

            @Override
            public void send(NotificationMessage message) {
                sent.add(message.executionId() + ": " + message.params().get("message"));
            }
        };
    }

    private RunbookEngine.Builder engine(String owner, ExecutionJournal journal) {
        return RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(clock::advance).runbook(runbook())
                .actions(bump()).journal(journal).guardStore(guards).owner(owner).lockTtl(Duration.ofMinutes(5))
                .notifier(notifier()).executionBackend(cluster);
    }

    /** host-a hands execution frozen-1 to the cluster and dies; its lease then runs out. */
    private void hostDiesAfterHandingOver() throws InterruptedException {
        RunbookEngine dead = engine("host-a", journal).executionIds(() -> "frozen-1").build();
        CompletableFuture.runAsync(() -> dead.handle(incident("i1")));
        assertThat(cluster.handedOver.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMinutes(6));
    }

    private static ExecutionBackend.Outcome rolledBack() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new ExecutionBackend.Outcome(ExecutionStatus.ROLLED_BACK,
                List.of(StepResult.failed(new StepResult.Start("bump", "bump", false, Map.of(), t), "limit did not hold", 1, t)),
                List.of(StepResult.succeeded(new StepResult.Start("undo", "bump", false, Map.of(), t), Optional.empty(), 1,
                        List.of(), "undone", t)),
                List.of("bump: memory 512Mi", "rollback: undo"), Optional.of("step 'bump' failed: limit did not hold"),
                Map.of("failed_step", "bump"));
    }

    @Test
    @Timeout(20)
    void aPlanWhoseEngineDiedIsRecordedByAnotherEngineWithTheBackendsOutcomeAndNothingRunsTwice() throws Exception {
        hostDiesAfterHandingOver();
        try (RunbookEngine survivor = engine("host-b", journal).build()) {
            var recovering = CompletableFuture.supplyAsync(survivor::recover);
            assertThat(cluster.askedOnce.await(10, TimeUnit.SECONDS)).isTrue();
            // taken over while the plan runs on: no other engine can claim it
            assertThat(journal.orphans(clock.instant())).isEmpty();
            assertThat(recovering).isNotDone();
            // and holds its resource again: no new execution starts on it while the plan runs on
            Execution meanwhile = survivor.handle(incident("i0"));
            assertThat(meanwhile.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(meanwhile.denial().orElseThrow().reason()).contains("frozen-1");

            cluster.outcomes.get("frozen-1").complete(rolledBack());
            List<Execution> recovered = recovering.get(10, TimeUnit.SECONDS);

            assertThat(recovered).singleElement().satisfies(e -> {
                assertThat(e.id()).isEqualTo("frozen-1");
                assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
                assertThat(e.error()).hasValue("step 'bump' failed: limit did not hold; the host that handed execution "
                        + "frozen-1 to the execution backend (host-a) died before it ended; host-b recorded its end");
                assertThat(e.steps()).extracting(StepResult::name).containsExactly("bump");
                assertThat(e.rollbackSteps()).extracting(StepResult::name).containsExactly("undo");
                assertThat(e.actionsTaken()).containsExactly("the plan was handed to the execution backend by host-a, "
                        + "which died before it ended; host-b recorded its end", "bump: memory 512Mi", "rollback: undo");
            });
            assertThat(ranHere).as("the steps are the backend's").isEmpty();
            assertThat(sent).hasSize(2).first().isEqualTo("frozen-1: failed: step 'bump' failed: limit did not "
                    + "hold; the host that handed execution frozen-1 to the execution backend (host-a) died before it "
                    + "ended; host-b recorded its end");
            // its failure counted toward pause_after (1), as if its own engine had seen it end, and said so
            assertThat(sent.get(1)).startsWith("frozen-1: runbook memory-fix paused at").contains("pause_after 1");
            assertThat(journal.orphans(Instant.MAX)).as("finished").isEmpty();
            assertThat(survivor.pauseState("memory-fix")).hasValueSatisfying(p ->
                    assertThat(p.executions()).containsExactly("frozen-1"));
            assertThat(survivor.resume("memory-fix", "oncall")).isTrue();
            assertThat(survivor.handle(incident("i2")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(survivor.recover()).isEmpty();
            assertThat(cluster.asked).hasValue(1);
        }
    }

    @Test
    @Timeout(20)
    void whileThePlanRunsOnTheRecoveringEngineKeepsTheLeaseSoNoThirdEngineTakesItOver() throws Exception {
        hostDiesAfterHandingOver();
        var renewedByB = new CountDownLatch(1);
        // only a renewal made after the clock moves on below counts: earlier ones ran out with the move
        Instant moved = clock.instant().plus(Duration.ofMinutes(6));
        ExecutionJournal watched = new EngineTestSupport.ForwardingJournal(journal) {
            @Override
            public void renewLease(String executionId, String owner, Instant until) {
                super.renewLease(executionId, owner, until);
                if (owner.equals("host-b") && until.isAfter(moved)) {
                    renewedByB.countDown();
                }
            }
        };
        try (RunbookEngine b = engine("host-b", watched).leaseRenewalInterval(Duration.ofMillis(5)).build();
             RunbookEngine c = engine("host-c", journal).build()) {
            var recovering = CompletableFuture.supplyAsync(b::recover);
            assertThat(cluster.askedOnce.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofMinutes(6)); // past the lease host-b took with its claim
            assertThat(renewedByB.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(c.recover()).isEmpty();
            assertThat(cluster.asked).as("only host-b waits for it").hasValue(1);

            cluster.outcomes.get("frozen-1").complete(new ExecutionBackend.Outcome(ExecutionStatus.SUCCEEDED, List.of(),
                    List.of(), List.of(), Optional.empty(), Map.of()));
            assertThat(recovering.get(10, TimeUnit.SECONDS)).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
                assertThat(e.error()).isEmpty();
            });
            assertThat(sent).containsExactly("frozen-1: fixed i1");
        }
    }

    @Test
    @Timeout(20)
    void twoEnginesRecoveringAtOnceRecordItOnce() throws Exception {
        hostDiesAfterHandingOver();
        cluster.outcomes.get("frozen-1").complete(rolledBack());
        try (RunbookEngine b = engine("host-b", journal).build(); RunbookEngine c = engine("host-c", journal).build()) {
            var go = new CountDownLatch(1);
            var fromB = CompletableFuture.supplyAsync(() -> EngineTestSupport.recoverAfter(go, b));
            var fromC = CompletableFuture.supplyAsync(() -> EngineTestSupport.recoverAfter(go, c));
            go.countDown();

            assertThat(fromB.get(10, TimeUnit.SECONDS).size() + fromC.get(10, TimeUnit.SECONDS).size()).isEqualTo(1);
            assertThat(cluster.asked).hasValue(1);
            assertThat(sent).hasSize(2); // the failure and the pause, once
        }
    }

    @Test
    @Timeout(30)
    void aPlanStillRunningOnTheBackendDoesNotHoldBackTheRollbackOfAnotherDeadExecution() throws Exception {
        hostDiesAfterHandingOver(); // frozen-1, journaled first, its plan still running
        Instant t = clock.instant();
        journal.started(new ExecutionJournal.JournalStart("dead-2", "host-dead", "memory-fix", "1",
                incident("i2").toMap(), Map.of(), List.of(), t.minusSeconds(600), t.minusSeconds(60)));
        journal.intent(new ExecutionJournal.StepIntent("dead-2", "host-dead", "bump", "bump", 1, false, Map.of(),
                t.minusSeconds(590)));
        var rolledBack = new CompletableFuture<Execution>();
        try (RunbookEngine b = engine("host-b", journal).listener(new ExecutionListener() {
            @Override
            public void executionFinished(Execution e) {
                if (e.id().equals("dead-2")) {
                    rolledBack.complete(e);
                }
            }
        }).build()) {
            var recovering = CompletableFuture.supplyAsync(b::recover);

            assertThat(rolledBack.get(10, TimeUnit.SECONDS).status()).isEqualTo(ExecutionStatus.RECOVERED_ROLLED_BACK);
            assertThat(ranHere).containsExactly("dead-2");
            cluster.outcomes.get("frozen-1").complete(rolledBack());
            assertThat(recovering.get(10, TimeUnit.SECONDS)).extracting(Execution::id)
                    .containsExactly("dead-2", "frozen-1");
        }
    }

    @Test
    @Timeout(20)
    void anOrphanClaimedAfterALongWaitGetsALeaseFromTheTimeOfItsClaim() throws Exception {
        hostDiesAfterHandingOver(); // frozen-1: its plan runs on for ten minutes of the clock
        Instant t = clock.instant();
        journal.started(new ExecutionJournal.JournalStart("never-1", "host-dead", "memory-fix", "1",
                incident("i3").toMap(), Map.of(), List.of(), t.minusSeconds(600), t.minusSeconds(60), true));
        var claims = new CopyOnWriteArrayList<String>();
        ExecutionJournal watched = new EngineTestSupport.ForwardingJournal(journal) {
            @Override
            public Optional<JournaledExecution> claim(String executionId, String newOwner, Instant now,
                                                      Instant leaseUntil) {
                claims.add(executionId + (leaseUntil.isAfter(clock.instant()) ? " leased ahead" : " leased in the past"));
                return super.claim(executionId, newOwner, now, leaseUntil);
            }
        };
        try (RunbookEngine b = engine("host-b", watched).build()) {
            var recovering = CompletableFuture.supplyAsync(b::recover);
            assertThat(cluster.askedOnce.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofMinutes(10));
            cluster.outcomes.get("frozen-1").complete(rolledBack());

            assertThat(recovering.get(10, TimeUnit.SECONDS)).hasSize(2);
            // a lease from the pass's start would have run out already: another engine could take never-1 too
            assertThat(claims).containsExactly("frozen-1 leased ahead", "never-1 leased ahead");
        }
    }

    @Test
    @Timeout(20)
    void aBackendThatCannotBeReachedLeavesTheEntryClaimedAndALaterRecoveryAsksAgain() throws Exception {
        hostDiesAfterHandingOver();
        cluster.unreachable = new IllegalStateException("cluster unreachable");
        try (RunbookEngine b = engine("host-b", journal).build()) {
            assertThat(b.recover()).isEmpty();
            assertThat(journal.orphans(clock.instant())).as("claimed by host-b until its lease runs out").isEmpty();
            assertThat(sent).isEmpty();

            cluster.unreachable = null;
            cluster.outcomes.get("frozen-1").complete(rolledBack());
            clock.advance(Duration.ofMinutes(6));
            assertThat(b.recover()).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK));
            assertThat(cluster.asked).hasValue(2);
        }
    }

    @Test
    @Timeout(20)
    void aResourceTakenByAnotherExecutionAfterTheLocksRanOutIsSaidInTheRecord() throws Exception {
        hostDiesAfterHandingOver();
        // the dead execution's locks ran out; another execution took the resource before recovery came
        assertThat(guards.tryReserve(new dev.runbook.core.guard.ReservationRequest("other-1", clock.instant(),
                List.of(new dev.runbook.core.guard.LockClaim("resource:prod/Pod/default/web-1", Duration.ofMinutes(5),
                        "resource Pod/default/web-1")), List.of(), List.of())).granted()).isTrue();
        cluster.outcomes.get("frozen-1").complete(new ExecutionBackend.Outcome(ExecutionStatus.SUCCEEDED, List.of(),
                List.of(), List.of(), Optional.empty(), Map.of()));
        try (RunbookEngine b = engine("host-b", journal).build()) {
            assertThat(b.recover()).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
                assertThat(e.error()).hasValueSatisfying(m -> assertThat(m).contains("its locks had run out and could "
                        + "not be taken again while its plan ran").contains("other-1").endsWith("another execution may "
                        + "have acted on the same incident or resource meanwhile"));
            });
        }
    }

    @Test
    void aPlanTheBackendNeverStartedIsDeniedWithoutNotificationOrCount() {
        Instant t = clock.instant();
        // the engine journaled the start, then died before handing the plan over
        journal.started(new ExecutionJournal.JournalStart("never-1", "host-dead", "memory-fix", "1",
                incident("i-never").toMap(), Map.of(), List.of(), t, t.plusSeconds(60), true));
        clock.advance(Duration.ofMinutes(2));
        try (RunbookEngine b = engine("host-b", journal).build()) {
            assertThat(b.recover()).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
                assertThat(e.error()).hasValueSatisfying(m -> assertThat(m)
                        .startsWith("no workflow never-1: it never started; the host that handed execution never-1"));
            });
            assertThat(sent).isEmpty();
            assertThat(b.pauseState("memory-fix")).isEmpty();
            assertThat(journal.orphans(Instant.MAX)).isEmpty();
        }
    }

    @Test
    void aBackendThatCannotSayHowAPlanEndedLeavesTheEntryAlone() {
        Instant t = clock.instant();
        journal.started(new ExecutionJournal.JournalStart("wf-1", "host-dead", "memory-fix", "1",
                incident("i-wf").toMap(), Map.of(), List.of(), t, t.plusSeconds(60), true));
        clock.advance(Duration.ofMinutes(2));
        ExecutionBackend silent = plan -> new ExecutionBackend.Outcome(ExecutionStatus.SUCCEEDED, List.of(), List.of(),
                List.of(), Optional.empty(), Map.of());
        try (RunbookEngine b = engine("host-b", journal).executionBackend(silent).build()) {
            assertThat(b.recover()).isEmpty();
        }
        assertThat(journal.orphans(clock.instant())).singleElement()
                .satisfies(j -> assertThat(j.owner()).isEqualTo("host-dead"));
    }
}
