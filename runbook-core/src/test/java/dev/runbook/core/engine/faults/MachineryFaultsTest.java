package dev.runbook.core.engine.faults;

import static dev.runbook.core.engine.faults.FaultActions.incident;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault injection on the engine's own machinery: a guard store that fails, listeners that throw errors,
 * {@code close()} and cancellation at the worst moments, locks held longer than their ttl, and clusters.
 */
class MachineryFaultsTest {
    private final TestClock clock = new TestClock();
    private final FaultActions faults = new FaultActions();
    private final CountingGuardStore store = new CountingGuardStore();

    private static Trigger oom() {
        return Trigger.builder().rootCauseReason("OOMKilled").build();
    }

    private RunbookEngine.Builder engine(Runbook rb, Action... actions) {
        return RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(d -> clock.advance(d)).runbook(rb)
                .actions(actions).guardStore(store);
    }

    private static Runbook writeThenUndo() {
        return Runbook.builder("fix").trigger(oom())
                .step(ActionStep.builder("write", "write").build())
                .rollbackStep(ActionStep.builder("revert", "undo").param("value", "old").build())
                .build();
    }

    @Test
    void aGuardStoreThatFailsBeforeAnyChangeDeniesWithTheReason() {
        store.failReserve = () -> new IllegalStateException("driver closed");
        Execution e = engine(writeThenUndo(), faults.write("write"), faults.undo("undo")).build()
                .handle(incident("i1", "web-1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(e.denial().orElseThrow().guard()).isEqualTo("dedupe");
        assertThat(e.denial().orElseThrow().reason())
                .isEqualTo("guard store failed, refusing to act without it: driver closed");
        assertThat(faults.events).isEmpty();
    }

    @Test
    void aGuardStoreThatFailsAfterTheChangeIsRetriedAndHandleStillReturnsTheExecution() {
        store.failRelease = () -> new IllegalStateException("connection reset");
        var heard = new CopyOnWriteArrayList<Execution>();
        Execution e = engine(writeThenUndo(), faults.write("write"), faults.undo("undo"))
                .listener(new ExecutionListener() {
                    @Override
                    public void executionFinished(Execution x) {
                        heard.add(x);
                    }
                }).build().handle(incident("i1", "web-1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(faults.events).containsExactly("write:write:1");
        assertThat(store.releaseCalls.get()).as("release asked three times").isEqualTo(3);
        assertThat(heard).containsExactly(e);
    }

    @Test
    void listenerErrorsAreContainedAndTheRollbackStillRuns() {
        Runbook rb = Runbook.builder("fix").trigger(oom())
                .step(ActionStep.builder("write", "write").build())
                .step(ActionStep.builder("boom", "boom").build())
                .rollbackStep(ActionStep.builder("revert", "undo").param("value", "old").build())
                .build();
        Action boom = new FaultActions.Base("boom", false) {
            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                throw ActionException.permanent("verification failed");
            }
        };
        var heard = new CopyOnWriteArrayList<Execution>();
        ExecutionListener broken = new ExecutionListener() {
            @Override
            public void stepFinished(String executionId, String runbookId, StepResult result) {
                throw new AssertionError("listener bug on " + result.name());
            }

            @Override
            public void executionFinished(Execution execution) {
                throw new StackOverflowError("listener bug");
            }
        };
        ExecutionListener healthy = new ExecutionListener() {
            @Override
            public void executionFinished(Execution execution) {
                heard.add(execution);
            }
        };
        Execution e = engine(rb, faults.write("write"), boom, faults.undo("undo")).listener(broken).listener(healthy)
                .build().handle(incident("i1", "web-1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(faults.events).containsExactly("write:write:1", "undo:old");
        assertThat(heard).containsExactly(e);
    }

    @Test
    @Timeout(20)
    void closeMidRunCancelsAfterItsGraceAndLetsTheRollbackFinish() throws Exception {
        var started = new CountDownLatch(1);
        Runbook rb = Runbook.builder("fix").trigger(oom())
                .step(ActionStep.builder("write", "write").build())
                .step(ActionStep.builder("block", "block").build())
                .rollbackStep(ActionStep.builder("revert", "undo").param("value", "old").build())
                .build();
        RunbookEngine engine = engine(rb, faults.write("write"), faults.blocking("block", started), faults.undo("undo"))
                .closeGrace(Duration.ofMillis(50)).build();
        CompletableFuture<Execution> running = engine.handleAsync(incident("i1", "web-1"));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        engine.close();

        // close() returned after the cancelled run ended (its future completes a moment later, on its own thread)
        Execution e = running.get(5, TimeUnit.SECONDS);
        assertThat(e.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(faults.events).containsExactly("write:write:1", "undo:old");
        assertThat(e.rollbackSteps()).singleElement().satisfies(s -> assertThat(s.error()).isEmpty());
        assertThatThrownBy(() -> engine.handle(incident("i2", "web-2"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the engine is closed");
    }

    @Test
    @Timeout(20)
    void closeLetsARunThatEndsWithinTheGraceFinishUntouched() throws Exception {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Runbook rb = Runbook.builder("fix").trigger(oom()).step(ActionStep.builder("slow", "deaf").build()).build();
        RunbookEngine engine = engine(rb, faults.deaf("deaf", started, release)).closeGrace(Duration.ofSeconds(30)).build();
        CompletableFuture<Execution> running = engine.handleAsync(incident("i1", "web-1"));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(engine::close);
        // close() refuses new work before it waits (the probe matches no runbook, so it ends at once until then)
        Incident probe = Incident.builder("probe").rootCause("NodeNotReady", 0.9)
                .resource(ResourceRef.of("Node", "", "node-9")).build();
        while (true) {
            try {
                assertThat(engine.handle(probe).status()).isEqualTo(ExecutionStatus.NO_MATCH);
            } catch (IllegalStateException closed) {
                break;
            }
            assertThat(closing).isNotDone();
        }
        release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(running.get().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    @Timeout(20)
    void cancellingDuringTheRollbackInterruptsNothingAndAFailedRollbackStaysRollbackFailed() throws Exception {
        var rollbackStarted = new CountDownLatch(1);
        var finishRollback = new CountDownLatch(1);
        var interruptedInRollback = new CopyOnWriteArrayList<Boolean>();
        Action failingUndo = new FaultActions.Base("undo", true) {
            @Override
            public ActionResult execute(ActionContext ctx) throws Exception {
                rollbackStarted.countDown();
                try {
                    finishRollback.await();
                    interruptedInRollback.add(false);
                } catch (InterruptedException e) {
                    interruptedInRollback.add(true);
                }
                throw ActionException.permanent("revert refused by the API server");
            }
        };
        Action boom = new FaultActions.Base("boom", true) {
            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                if (ctx.dryRun()) {
                    return ActionResult.empty();
                }
                throw ActionException.permanent("patch failed");
            }
        };
        Runbook rb = Runbook.builder("fix").trigger(oom()).step(ActionStep.builder("patch", "boom").build())
                .rollbackStep(ActionStep.builder("revert", "undo").build()).build();
        try (RunbookEngine engine = engine(rb, boom, failingUndo).build()) {
            CompletableFuture<Execution> running = engine.handleAsync(incident("i1", "web-1"));
            assertThat(rollbackStarted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.cancel("i1")).isEqualTo(1);
            finishRollback.countDown();
            Execution e = running.get(10, TimeUnit.SECONDS);

            assertThat(interruptedInRollback).containsExactly(false);
            assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLBACK_FAILED);
            assertThat(e.error()).hasValueSatisfying(m -> assertThat(m)
                    .contains("rollback step 'revert' failed: revert refused by the API server"));
        }
    }

    @Test
    @Timeout(20)
    void aLongRunRenewsItsLeaseAndKeepsItsLockPastTheTtl() throws Exception {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Runbook rb = Runbook.builder("fix").trigger(oom()).step(ActionStep.builder("slow", "deaf").build()).build();
        try (RunbookEngine engine = engine(rb, faults.deaf("deaf", started, release)).lockTtl(Duration.ofMinutes(1))
                .leaseRenewalInterval(Duration.ofMillis(10)).build()) {
            CompletableFuture<Execution> running = engine.handleAsync(incident("i1", "web-1"));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // 90 s of engine time pass in two steps, each followed by a renewal: past the 1-minute ttl
            for (int i = 0; i < 2; i++) {
                clock.advance(Duration.ofSeconds(45));
                store.renewed = new CountDownLatch(1);
                assertThat(store.renewed.await(10, TimeUnit.SECONDS)).isTrue();
            }
            Execution other = engine.handle(incident("i2", "web-1"));
            assertThat(other.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(other.denial().orElseThrow().reason()).startsWith("resource Pod/default/web-1 already has an active");
            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    @Timeout(20)
    void theSamePodNameInTwoClustersSharesNoLockOrLimit() throws Exception {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Runbook rb = Runbook.builder("fix").trigger(oom())
                .safety(Safety.builder().maxExecutionsPerResourcePerHour(1).build())
                .step(ActionStep.builder("slow", "deaf").build()).build();
        try (RunbookEngine engine = engine(rb, faults.deaf("deaf", started, release)).build()) {
            CompletableFuture<Execution> eu = engine.handleAsync(inCluster("i-eu", "eu"));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            Execution us = engine.handle(inCluster("i-us", "us"));
            assertThat(us.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(eu.get(10, TimeUnit.SECONDS).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            // and within one cluster the per-resource limit still holds
            assertThat(engine.handle(inCluster("i-eu-2", "eu")).status()).isEqualTo(ExecutionStatus.DENIED);
        }
    }

    private static Incident inCluster(String id, String cluster) {
        return Incident.builder(id).rootCause("OOMKilled", 0.9)
                .resource(new ResourceRef("Pod", "web-1", "default", Optional.empty(), Optional.empty(), Optional.empty()))
                .cluster(cluster).build();
    }

    @Test
    void withoutADryRunTheResourcesAnActionDeclaresAreLockedBeforeItsFirstAttempt() {
        Action declared = new FaultActions.Base("scale", true) {
            @Override
            public List<dev.runbook.core.action.TouchedResource> declaredTargets(java.util.Map<String, Object> params,
                                                                                 Incident incident) {
                return List.of(new dev.runbook.core.action.TouchedResource("Deployment", "default", "web", "scale"));
            }

            @Override
            public ActionResult execute(ActionContext ctx) {
                faults.events.add("scaled");
                return ActionResult.empty();
            }
        };
        // another execution (simulated by a direct reservation) holds the Deployment
        var held = store.delegate.tryReserve(new dev.runbook.core.guard.ReservationRequest("other-exec", clock.instant(),
                List.of(new dev.runbook.core.guard.LockClaim("resource:prod/Deployment/default/web", Duration.ofMinutes(5),
                        "resource Deployment/default/web")), List.of(), List.of()));
        assertThat(held.granted()).isTrue();
        Runbook rb = Runbook.builder("fix").trigger(oom()).step(ActionStep.builder("scale", "scale").build()).build();
        Execution e = engine(rb, declared).build().handle(incident("i1", "web-1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(e.step("scale").orElseThrow().error()).hasValue(
                "targets: resource Deployment/default/web already has an active execution (other-exec)");
        assertThat(faults.events).isEmpty();
    }
}
