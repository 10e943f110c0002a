package dev.runbook.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recovery from the journal, in one process: an engine stops in the middle of a change and never comes back
 * (its thread hangs for good, as a dead host's would), and another engine sharing its journal and guard store
 * resolves what it left. The child-JVM crash test in runbook-neo4j does the same with a killed process.
 */
class RecoveryTest {
    private final TestClock clock = new TestClock();
    private final InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    private final InMemoryGuardStore guards = new InMemoryGuardStore();
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final CountDownLatch hostFrozen = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean frozeOnce = new java.util.concurrent.atomic.AtomicBoolean();

    private static Incident incident(String id) {
        return Incident.builder(id).rootCause("OOMKilled", 0.9).resource("Pod", "default", "web-1").cluster("prod").build();
    }

    private Runbook runbook() {
        return Runbook.builder("memory-fix").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().maxExecutionsPerHour(2).build())
                .step(ActionStep.builder("read", "read").outputVar("old").build())
                .step(ActionStep.builder("patch", "patch").param("memory", "512Mi").build())
                .rollbackStep(ActionStep.builder("revert", "patch").param("memory", "{{ old }}").build())
                .build();
    }

    private Action read() {
        return action("read", false, ctx -> ActionResult.of("256Mi"));
    }

    /** Patches; in the execution named dead-*, the host "dies" right after first applying the forward change. */
    private Action patch() {
        return action("patch", true, ctx -> {
            changes.add(ctx.incident().incidentId() + ":" + ctx.params().get("memory"));
            if (ctx.executionId().startsWith("dead-") && "512Mi".equals(ctx.params().get("memory"))
                    && frozeOnce.compareAndSet(false, true)) {
                hostFrozen.countDown();
                new CountDownLatch(1).await(); // never returns: the host is gone
            }
            return ActionResult.empty().withSummary("set memory " + ctx.params().get("memory"));
        });
    }

    private RunbookEngine.Builder engine(String owner) {
        return engine(owner, runbook());
    }

    private RunbookEngine.Builder engine(String owner, Runbook rb) {
        return RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(clock::advance).runbook(rb)
                .actions(read(), patch()).journal(journal).guardStore(guards).owner(owner)
                .lockTtl(Duration.ofMinutes(5));
    }

    @Test
    @Timeout(20)
    void anExecutionWhoseHostDiedMidChangeIsRolledBackWithTheJournaledValueAndItsLocksFreed() throws Exception {
        RunbookEngine dead = engine("host-a").executionIds(() -> "dead-1").build();
        CompletableFuture.runAsync(() -> dead.handle(incident("i1")));
        assertThat(hostFrozen.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(changes).containsExactly("i1:512Mi");

        // host-a never renews again; once its lease has run out, host-b takes over
        clock.advance(Duration.ofMinutes(6));
        try (RunbookEngine survivor = engine("host-b").build()) {
            List<Execution> recovered = survivor.recover();

            assertThat(recovered).singleElement().satisfies(e -> {
                assertThat(e.id()).isEqualTo("dead-1");
                assertThat(e.status()).isEqualTo(ExecutionStatus.RECOVERED_ROLLED_BACK);
                assertThat(e.error()).hasValueSatisfying(m -> assertThat(m).contains("(host-a) died at step 'patch'"));
                assertThat(e.steps()).extracting(s -> s.name()).containsExactly("read");
                assertThat(e.rollbackSteps()).singleElement().satisfies(s -> assertThat(s.params())
                        .containsEntry("memory", "256Mi"));
            });
            // the rollback reached the resource with the value journaled before the crash
            assertThat(changes).containsExactly("i1:512Mi", "i1:256Mi");
            // nothing is left to recover
            assertThat(survivor.recover()).isEmpty();
            // the dead execution's locks are free, and its count was kept: one more run fits the limit of 2, then none
            assertThat(survivor.handle(incident("i2")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            Execution third = survivor.handle(incident("i3"));
            assertThat(third.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(third.denial().orElseThrow().reason()).startsWith("max_executions_per_hour 2 for runbook memory-fix");
        }
    }

    @Test
    @Timeout(20)
    void anEngineThatRecoversOnAScheduleResolvesADeadHostsExecutionWithoutBeingAsked() throws Exception {
        RunbookEngine dead = engine("host-a").executionIds(() -> "dead-1").build();
        CompletableFuture.runAsync(() -> dead.handle(incident("i1")));
        assertThat(hostFrozen.await(10, TimeUnit.SECONDS)).isTrue();
        var recovered = new CompletableFuture<Execution>();
        try (RunbookEngine survivor = engine("host-b").recoverEvery(Duration.ofMillis(20))
                .listener(new ExecutionListener() {
                    @Override
                    public void executionFinished(Execution e) {
                        recovered.complete(e);
                    }
                }).build()) {
            assertThat(survivor.runningExecutions()).isEmpty();
            // host-a never renews again; once its lease has run out, host-b's next pass takes it over
            clock.advance(Duration.ofMinutes(6));

            Execution e = recovered.get(10, TimeUnit.SECONDS);
            assertThat(e.id()).isEqualTo("dead-1");
            assertThat(e.status()).isEqualTo(ExecutionStatus.RECOVERED_ROLLED_BACK);
            assertThat(changes).containsExactly("i1:512Mi", "i1:256Mi");
        }
        assertThat(journal.orphans(clock.instant().plus(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    void aRecoveryIntervalMustBePositive() {
        assertThatThrownBy(() -> RunbookEngine.builder().recoverEvery(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("recoverEvery must be positive, got PT0S");
    }

    /** Secret and host parameters are not journaled (they may be credentials): the recovering engine supplies its own. */
    @Test
    @Timeout(20)
    void aRollbackInRecoveryReadsHostParametersFromTheRecoveringEngine() throws Exception {
        Runbook rb = Runbook.builder("memory-fix").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .parameter(dev.runbook.core.model.Parameter.secret("api_key", "the cluster API's key"))
                .step(ActionStep.builder("read", "read").outputVar("old").build())
                .step(ActionStep.builder("patch", "patch").param("memory", "512Mi").build())
                .rollbackStep(ActionStep.builder("revert", "patch").param("memory", "{{ old }}")
                        .param("token", "{{ cluster_token }}").param("key", "{{ api_key }}").build())
                .build();
        RunbookEngine dead = engine("host-a", rb).parameter("cluster_token", "a").parameter("api_key", "k")
                .executionIds(() -> "dead-1").build();
        CompletableFuture.runAsync(() -> dead.handle(incident("i1")));
        assertThat(hostFrozen.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofMinutes(6));
        assertThat(journal.orphans(clock.instant())).singleElement()
                .satisfies(j -> assertThat(j.variables()).containsEntry("old", "256Mi")
                        .doesNotContainKeys("cluster_token", "api_key"));
        try (RunbookEngine survivor = engine("host-b", rb).parameter("cluster_token", "b").parameter("api_key", "k")
                .build()) {
            assertThat(survivor.recover()).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo(ExecutionStatus.RECOVERED_ROLLED_BACK);
                assertThat(e.rollbackSteps()).singleElement().satisfies(s -> assertThat(s.params())
                        .containsEntry("memory", "256Mi").containsEntry("token", "***").containsEntry("key", "***"));
            });
            assertThat(changes).containsExactly("i1:512Mi", "i1:256Mi");
        }
    }

    private Runbook resumable(boolean patchIdempotent) {
        return Runbook.builder("memory-fix").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().maxExecutionsPerHour(2).resumeOnRecovery(true).build())
                .step(ActionStep.builder("read", "read").outputVar("old").idempotent(true).build())
                .step(ActionStep.builder("patch", "patch").param("memory", "512Mi").idempotent(patchIdempotent).build())
                .step(ActionStep.builder("verify", "read").idempotent(true).build())
                .rollbackStep(ActionStep.builder("revert", "patch").param("memory", "{{ old }}").build())
                .build();
    }

    @Test
    @Timeout(20)
    void aRunbookThatOptsInIsResumedWhenEveryRemainingStepIsIdempotent() throws Exception {
        RunbookEngine dead = engine("host-a", resumable(true)).executionIds(() -> "dead-1").build();
        CompletableFuture.runAsync(() -> dead.handle(incident("i1")));
        assertThat(hostFrozen.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMinutes(6));

        List<Execution> recovered = engine("host-b", resumable(true)).build().recover();

        assertThat(recovered).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(ExecutionStatus.RECOVERED_RESUMED);
            assertThat(e.status().succeeded()).isTrue();
            assertThat(e.steps()).extracting(s -> s.name()).containsExactly("read", "patch", "verify");
            assertThat(e.rollbackSteps()).isEmpty();
        });
        // the interrupted patch ran again (it is idempotent) and nothing was rolled back
        assertThat(changes).containsExactly("i1:512Mi", "i1:512Mi");
    }

    @Test
    @Timeout(20)
    void aRemainingStepThatIsNotIdempotentMeansRollbackEvenWhenTheRunbookOptsIn() throws Exception {
        RunbookEngine dead = engine("host-a", resumable(false)).executionIds(() -> "dead-1").build();
        CompletableFuture.runAsync(() -> dead.handle(incident("i1")));
        assertThat(hostFrozen.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMinutes(6));

        List<Execution> recovered = engine("host-b", resumable(false)).build().recover();

        assertThat(recovered).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(ExecutionStatus.RECOVERED_ROLLED_BACK));
        assertThat(changes).containsExactly("i1:512Mi", "i1:256Mi");
    }

    /**
     * A runbook with {@code pause_after: 1} whose host dies at its patch; it resumes when {@code resume}, and its
     * verification or its rollback fails when asked to.
     */
    private static Runbook pausing(boolean resume, boolean verifyFails, boolean rollbackFails) {
        return Runbook.builder("memory-fix").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().pauseAfter(1, Duration.ofHours(1)).resumeOnRecovery(resume).build())
                .step(ActionStep.builder("read", "read").outputVar("old").idempotent(true).build())
                .step(ActionStep.builder("patch", "patch").param("memory", "512Mi").idempotent(true).build())
                .step(ActionStep.builder("verify", verifyFails ? "check" : "read").idempotent(true).build())
                .rollbackStep(ActionStep.builder("revert", rollbackFails ? "check" : "patch").param("memory", "{{ old }}")
                        .build())
                .build();
    }

    private ExecutionStatus recoverPausing(Runbook rb) throws Exception {
        RunbookEngine dead = engine("host-a", rb).actions(EngineTestSupport.failing("check", "still OOMKilled"))
                .executionIds(() -> "dead-1").build();
        CompletableFuture.runAsync(() -> dead.handle(incident("i1")));
        assertThat(hostFrozen.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMinutes(6));
        try (RunbookEngine survivor = engine("host-b", rb).actions(EngineTestSupport.failing("check", "still OOMKilled"))
                .build()) {
            ExecutionStatus status = survivor.recover().get(0).status();
            pauseAfterRecovery = survivor.pauseState("memory-fix");
            return status;
        }
    }

    private java.util.Optional<dev.runbook.core.guard.PauseState> pauseAfterRecovery;

    @Test
    @Timeout(20)
    void aHostsDeathIsNotTheRunbooksFailureAndDoesNotCountTowardPauseAfter() throws Exception {
        assertThat(recoverPausing(pausing(false, false, false))).isEqualTo(ExecutionStatus.RECOVERED_ROLLED_BACK);
        assertThat(pauseAfterRecovery).isEmpty();
    }

    @Test
    @Timeout(20)
    void aResumedStepThatFailsCountsTowardPauseAfter() throws Exception {
        assertThat(recoverPausing(pausing(true, true, false))).isEqualTo(ExecutionStatus.RECOVERED_ROLLED_BACK);
        assertThat(pauseAfterRecovery).hasValueSatisfying(p -> assertThat(p.executions()).containsExactly("dead-1"));
    }

    @Test
    @Timeout(20)
    void aRecoveryWhoseRollbackFailsCountsTowardPauseAfter() throws Exception {
        assertThat(recoverPausing(pausing(false, false, true))).isEqualTo(ExecutionStatus.ROLLBACK_FAILED);
        assertThat(pauseAfterRecovery).hasValueSatisfying(p -> assertThat(p.executions()).containsExactly("dead-1"));
    }

    @Test
    @Timeout(60)
    void twoReplicasRecoveringAtOnceTakeTheOrphanOverExactlyOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            String id = "orphan-" + round;
            Instant t = clock.instant();
            journal.started(new ExecutionJournal.JournalStart(id, "host-dead", "memory-fix", "1",
                    incident("inc-" + round).toMap(), Map.of(), List.of(), t, t.plusSeconds(60)));
            journal.intent(new ExecutionJournal.StepIntent(id, "host-dead", "patch", "patch", 1, false, Map.of("memory", "512Mi"), t));
            journal.stepRecorded(id, StepResult.succeeded(
                    new StepResult.Start("read", "read", false, Map.of(), t),
                    java.util.Optional.of("256Mi"), 1, List.of(), "", t), false, Map.of("old", "256Mi"));
            clock.advance(Duration.ofMinutes(2));
            changes.clear();
            RunbookEngine b = engine("host-b").build();
            RunbookEngine c = engine("host-c").build();
            CountDownLatch go = new CountDownLatch(1);
            var fromB = CompletableFuture.supplyAsync(() -> EngineTestSupport.recoverAfter(go, b));
            var fromC = CompletableFuture.supplyAsync(() -> EngineTestSupport.recoverAfter(go, c));
            go.countDown();
            int total = fromB.get(10, TimeUnit.SECONDS).size() + fromC.get(10, TimeUnit.SECONDS).size();

            assertThat(total).as("round " + round).isEqualTo(1);
            assertThat(changes).as("round " + round).containsExactly("inc-" + round + ":256Mi");
            b.close();
            c.close();
        }
    }

    @Test
    void anExecutionThatDiedBeforeChangingAnythingIsDeniedNeverRun() {
        Instant t = clock.instant();
        journal.started(new ExecutionJournal.JournalStart("waiting-1", "host-dead", "memory-fix", "1",
                incident("i-wait").toMap(), Map.of(), List.of(), t, t.plusSeconds(60)));
        clock.advance(Duration.ofMinutes(2));

        List<Execution> recovered = engine("host-b").build().recover();

        assertThat(recovered).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(e.error()).hasValueSatisfying(m -> assertThat(m).contains("before it changed anything"));
        });
        assertThat(changes).isEmpty();
    }

    @Test
    void anUnfinishedExecutionOwnedByTheBackendIsLeftToIt() {
        Instant t = clock.instant();
        // a Temporal workflow whose engine died mid-change: the same entry as dead-host's, marked as the backend's
        journal.started(new ExecutionJournal.JournalStart("workflow-1", "host-dead", "memory-fix", "1",
                incident("i-wf").toMap(), Map.of(), List.of(), t, t.plusSeconds(60), true));
        journal.intent(new ExecutionJournal.StepIntent("workflow-1", "host-dead", "patch", "patch", 1, false,
                Map.of("memory", "512Mi"), t));
        journal.stepRecorded("workflow-1", StepResult.succeeded(new StepResult.Start("read", "read", false, Map.of(), t),
                java.util.Optional.of("256Mi"), 1, List.of(), "", t), false, Map.of("old", "256Mi"));
        clock.advance(Duration.ofMinutes(2));

        List<Execution> recovered = engine("host-b").build().recover();

        assertThat(recovered).isEmpty();
        assertThat(changes).as("no rollback, no resume").isEmpty();
        // not claimed either: it still names its first owner and is still there, unfinished
        assertThat(journal.orphans(clock.instant())).singleElement().satisfies(j -> {
            assertThat(j.owner()).isEqualTo("host-dead");
            assertThat(j.backendOwned()).isTrue();
        });
    }

    @Test
    void aHostThatWasOnlySlowCannotJournalAChangeAfterItsExecutionWasTakenOver() {
        Instant t = clock.instant();
        journal.started(new ExecutionJournal.JournalStart("slow-1", "host-a", "memory-fix", "1",
                incident("i-slow").toMap(), Map.of(), List.of(), t, t.plusSeconds(60)));
        assertThat(journal.claim("slow-1", "host-b", t.plusSeconds(120), t.plusSeconds(420))).isPresent();
        assertThatThrownBy(() -> journal.intent(new ExecutionJournal.StepIntent("slow-1", "host-a", "patch", "patch", 1,
                false, Map.of(), t.plusSeconds(121))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("execution slow-1 was taken over by host-b; host-a may no longer change anything for it");
        journal.intent(new ExecutionJournal.StepIntent("slow-1", "host-b", "revert", "patch", 1, true, Map.of(),
                t.plusSeconds(121)));
    }

    @Test
    void aJournalThatCannotBeWrittenStopsTheChange() {
        ExecutionJournal broken = new ExecutionJournal() {
            @Override
            public void started(JournalStart start) {
                throw new IllegalStateException("journal database unreachable");
            }

            @Override
            public void intent(StepIntent intent) {
                throw new IllegalStateException("unreachable");
            }

            @Override
            public void stepRecorded(String executionId, StepResult result, boolean rollback,
                                     Map<String, Object> variables) {
            }

            @Override
            public void finished(Execution execution) {
            }

            @Override
            public void renewLease(String executionId, String owner, Instant until) {
            }

            @Override
            public List<JournaledExecution> orphans(Instant now) {
                return List.of();
            }

            @Override
            public java.util.Optional<JournaledExecution> claim(String executionId, String newOwner, Instant now,
                                                                Instant leaseUntil) {
                return java.util.Optional.empty();
            }
        };
        RunbookEngine engine = engine("host-a").journal(broken).build();
        for (String id : List.of("i1", "i2", "i3")) {
            Execution e = engine.handle(incident(id));
            assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(e.error()).hasValue("the execution journal could not be written, so nothing was changed: "
                    + "journal database unreachable");
        }
        assertThat(changes).isEmpty();
        // a runbook that can change nothing is not journaled, so it runs whatever the journal's state
        Runbook readOnly = Runbook.builder("look").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("read", "read").build()).build();
        assertThat(engine("host-a", readOnly).journal(broken).build().handle(incident("i0")).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        // nothing happened, so nothing was counted: with a working journal the limit of 2 is still whole
        RunbookEngine healthy = engine("host-b").build();
        assertThat(healthy.handle(incident("i4")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(healthy.handle(incident("i5")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    private interface Body {
        ActionResult run(ActionContext ctx) throws Exception;
    }

    private static Action action(String name, boolean mutating, Body body) {
        return new Action() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "recovery test stand-in " + name;
            }

            @Override
            public ParamSchema schema() {
                return ParamSchema.open();
            }

            @Override
            public boolean mutating() {
                return mutating;
            }

            @Override
            public ActionResult execute(ActionContext ctx) throws Exception {
                return body.run(ctx);
            }
        };
    }

    /**
     * A journal plugin built against another version of core fails with a {@link LinkageError} once recovery has
     * started rolling back: {@code build()} with recovery at start then throws, and must not leave the threads of an
     * engine the host never got behind (the lease renewal thread would otherwise live as long as the JVM).
     */
    @Test
    @Timeout(30)
    void aRecoveryAtStartThatThrowsClosesTheEngineItWasBuilding() throws Exception {
        RunbookEngine dead = engine("host-a").executionIds(() -> "dead-1").build();
        CompletableFuture.runAsync(() -> dead.handle(incident("i1")));
        assertThat(hostFrozen.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMinutes(6));

        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        List<Thread> made = new CopyOnWriteArrayList<>();
        ExecutionJournal mismatched = EngineTestSupport.onFinished(journal, execution -> {
            // the engine's threads alive at the failure: the rollback's attempt thread, the lease renewal's
            Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                    .filter(t -> t.getName().startsWith("runbook-")).forEach(made::add);
            throw new NoSuchMethodError("ExecutionJournal.finished: the journal plugin was built against another core");
        });
        assertThatThrownBy(() -> engine("host-b").journal(mismatched).recoverAtStart(true).build())
                .isInstanceOf(NoSuchMethodError.class);

        assertThat(made).extracting(Thread::getName).as("the rollback ran on the engine's threads and renewed its lease")
                .anyMatch(n -> n.startsWith("runbook-lease-")).anyMatch(n -> n.startsWith("runbook-attempt-"));
        for (Thread t : made) {
            t.join(Duration.ofSeconds(10).toMillis());
            assertThat(t.isAlive()).as("thread %s of the engine build() could not return", t.getName()).isFalse();
        }
        assertThat(changes).as("the rollback did run").containsExactly("i1:512Mi", "i1:256Mi");
    }
}
