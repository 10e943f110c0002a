package dev.runbook.core.engine.faults;

import static dev.runbook.core.engine.faults.FaultActions.incident;
import static org.assertj.core.api.Assertions.assertThat;

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
import dev.runbook.core.engine.StepStatus;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.core.notify.NotificationMessage;
import dev.runbook.core.notify.Notifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault injection on action attempts: actions that ignore interrupts, block, or fail and are retried. The
 * guarantees: never two live attempts of one step, no forward write after the rollback begins, every step has a
 * timeout, and every real attempt of a mutating action is counted and recorded.
 */
class AttemptFaultsTest {
    private final TestClock clock = new TestClock();
    private final FaultActions faults = new FaultActions();

    private static Trigger oom() {
        return Trigger.builder().rootCauseReason("OOMKilled").build();
    }

    private static Runbook patchWithRollback(Duration timeout, int attempts) {
        return Runbook.builder("oom-fix").trigger(oom())
                .step(ActionStep.builder("patch", "deaf").timeout(timeout)
                        .retry(RetryPolicy.fixed(attempts, Duration.ZERO)).build())
                .rollbackStep(ActionStep.builder("revert", "undo").param("value", "256Mi").build())
                .build();
    }

    private RunbookEngine.Builder engine(Runbook rb, Action... actions) {
        return RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(d -> clock.advance(d)).runbook(rb)
                .actions(actions);
    }

    @Test
    @Timeout(20)
    void aDeafAttemptIsAbandonedNeverRetriedAndTheRollbackWaitsForIt() {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        // The deaf attempt is let go only once the engine has given up on it and failed the step.
        ExecutionListener releaseWhenFailed = new ExecutionListener() {
            @Override
            public void stepFinished(String executionId, String runbookId, StepResult r) {
                if (r.name().equals("patch") && r.status() == StepStatus.FAILED) {
                    release.countDown();
                }
            }
        };
        try (RunbookEngine engine = engine(patchWithRollback(Duration.ofMillis(100), 3),
                faults.deaf("deaf", started, release), faults.undo("undo"))
                .attemptGrace(Duration.ofMillis(50)).abandonedAttemptWait(Duration.ofSeconds(15))
                .listener(releaseWhenFailed).build()) {
            Execution e = engine.handle(incident("i1", "web-1"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(faults.attemptsStarted.get()).as("no retry while the abandoned attempt lived").isEqualTo(1);
            assertThat(faults.maxLive.get()).as("never two live attempts of one step").isEqualTo(1);
            // the late forward write landed before the rollback began, never after
            assertThat(faults.events).containsExactly("write:patch:1:after-interrupt", "undo:256Mi");
            assertThat(e.step("patch").orElseThrow().error()).hasValueSatisfying(m -> assertThat(m)
                    .contains("attempt 1 of step 'patch' timed out after 100ms and did not stop within 50ms")
                    .contains("abandoned"));
            assertThat(e.actionsTaken()).first().asString().startsWith("step 'patch' attempt 1 failed and may have changed");
            assertThat(e.actionsTaken()).last().isEqualTo("rollback: undid revert");
        }
    }

    @Test
    @Timeout(20)
    void theReportedCaseThreeAttemptsOfADeafStepNoLongerRunAtOnce() {
        // The report: timeout 300ms, retry attempts 3, a 1.5 s action deaf to interrupts.
        try (RunbookEngine engine = engine(patchWithRollback(Duration.ofMillis(300), 3), faults.deafFor("deaf", 1500),
                faults.undo("undo")).attemptGrace(Duration.ofMillis(100)).abandonedAttemptWait(Duration.ofSeconds(10))
                .build()) {
            Execution e = engine.handle(incident("i1", "web-1"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(faults.attemptsStarted.get()).isEqualTo(1);
            assertThat(faults.maxLive.get()).isEqualTo(1);
            assertThat(faults.events).containsExactly("write:patch:1", "undo:256Mi");
        }
    }

    /** Attempt 1 of the patch step, as an execution backend's worker (Temporal's activity) calls it. */
    private static dev.runbook.core.engine.StepExecutor.StepCall firstAttemptOfPatch() {
        return new dev.runbook.core.engine.StepExecutor.StepCall("wf-1", "oom-fix", incident("i1", "web-1"), 0, false,
                Map.of(), java.util.Set.of(), 1, Map.of());
    }

    @Test
    @Timeout(20)
    void aWorkersStepReturnsOnlyOnceItsAbandonedAttemptHasEndedSoTheCallersRollbackCannotOvertakeIt() {
        try (RunbookEngine worker = engine(patchWithRollback(Duration.ofMillis(100), 3), faults.deafFor("deaf", 600),
                faults.undo("undo")).attemptGrace(Duration.ofMillis(50)).abandonedAttemptWait(Duration.ofSeconds(10))
                .build()) {
            var run = worker.stepExecutor().run(firstAttemptOfPatch());

            // the late write has landed before the call returned: whatever the caller does next comes after it
            assertThat(faults.events).containsExactly("write:patch:1");
            assertThat(run.abandoned()).isFalse();
            assertThat(run.error()).hasValueSatisfying(m -> assertThat(m).contains("abandoned"));
            assertThat(run.retryAfter()).as("an abandoned attempt is never retried, as in-process").isEmpty();
        }
    }

    @Test
    @Timeout(20)
    void aWorkersStepWhoseAbandonedAttemptOutlivesTheWaitTellsTheCallerNotToRollBack() {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        try (RunbookEngine worker = engine(patchWithRollback(Duration.ofMillis(100), 3), faults.deaf("deaf", started,
                release), faults.undo("undo")).attemptGrace(Duration.ofMillis(50))
                .abandonedAttemptWait(Duration.ofMillis(200)).build()) {
            var run = worker.stepExecutor().run(firstAttemptOfPatch());

            assertThat(run.abandoned()).isTrue();
            assertThat(run.retryAfter()).as("no next attempt while this one may still write").isEmpty();
            assertThat(run.error()).hasValueSatisfying(m -> assertThat(m).contains("attempt 1 of step 'patch' was "
                    + "still running 200ms later: a change may still be in flight, the rollback was not started"));
            assertThat(faults.events).isEmpty();
            release.countDown();
        }
    }

    @Test
    @Timeout(20)
    void anAttemptThatOutlivesTheWaitEndsAbandonedSaysSoAndKeepsItsLocks() throws Exception {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var sent = new CopyOnWriteArrayList<NotificationMessage>();
        Notifier slack = new Notifier() {
            @Override
            public String channel() {
                return "slack";
            }

            @Override
            public void send(NotificationMessage m) {
                sent.add(m);
            }
        };
        Runbook rb = patchWithRollback(Duration.ofMillis(100), 3).toBuilder()
                .notifications(new Notifications(List.of(), List.of(new Notification("slack",
                        ParamValue.mapOf(Map.of("message", "failed: {{ error_message }}"))))))
                .build();
        var store = new CountingGuardStore();
        try (RunbookEngine engine = engine(rb, faults.deaf("deaf", started, release), faults.undo("undo"))
                .guardStore(store).notifier(slack).attemptGrace(Duration.ofMillis(50))
                .abandonedAttemptWait(Duration.ofMillis(200))
                .build()) {
            Execution e = engine.handle(incident("i1", "web-1"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.ABANDONED);
            assertThat(e.error()).hasValueSatisfying(m -> assertThat(m).contains("a change may still be in flight")
                    .contains("the rollback was not started"));
            assertThat(e.rollbackSteps()).isEmpty();
            assertThat(faults.events).isEmpty();
            assertThat(sent).singleElement().satisfies(m -> assertThat(String.valueOf(m.params().get("message")))
                    .contains("a change may still be in flight"));
            // the attempt still runs, so the resource stays locked
            Execution meanwhile = engine.handle(incident("i2", "web-1"));
            assertThat(meanwhile.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(meanwhile.denial().orElseThrow().guard()).isEqualTo("dedupe");

            release.countDown();
            assertThat(store.released.await(10, TimeUnit.SECONDS)).as("locks released when the attempt ended").isTrue();
            assertThat(faults.events).containsExactly("write:patch:1:after-interrupt");
            assertThat(engine.handle(incident("i3", "web-1")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    @Timeout(20)
    void aStepWithoutItsOwnTimeoutGetsTheEngineDefaultEnforced() {
        var started = new CountDownLatch(1);
        Runbook rb = Runbook.builder("slow").trigger(oom()).step(ActionStep.builder("block", "block").build()).build();
        try (RunbookEngine engine = engine(rb, faults.blocking("block", started))
                .defaultStepTimeout(Duration.ofMillis(100)).build()) {
            Execution e = engine.handle(incident("i1", "web-1"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(e.error()).hasValue("step 'block' failed: timed out after 100ms");
            assertThat(started.getCount()).isZero();
        }
    }

    @Test
    @Timeout(20)
    void aOneThreadHostExecutorDoesNotStarveStepTimeouts() throws Exception {
        var started = new CountDownLatch(2);
        Runbook rb = Runbook.builder("slow").trigger(oom())
                .step(ActionStep.builder("block", "block").timeout(Duration.ofMillis(100)).build()).build();
        ExecutorService host = Executors.newFixedThreadPool(1);
        try (RunbookEngine engine = engine(rb, faults.blocking("block", started)).executor(host).build()) {
            var first = engine.handleAsync(incident("i1", "web-1"));
            var second = engine.handleAsync(incident("i2", "web-2"));

            assertThat(first.get(10, TimeUnit.SECONDS).error()).hasValue("step 'block' failed: timed out after 100ms");
            assertThat(second.get(10, TimeUnit.SECONDS).error()).hasValue("step 'block' failed: timed out after 100ms");
            // each attempt really ran on the engine's own threads, not queued behind the host's single thread
            assertThat(started.getCount()).isZero();
        } finally {
            host.shutdownNow();
        }
    }

    @Test
    void everyRealAttemptOfAMutatingStepIsCountedAndRecorded() {
        AtomicInteger calls = new AtomicInteger();
        Runbook rb = Runbook.builder("flip").trigger(oom())
                .safety(Safety.builder().maxActionsPerHour(3).build())
                .step(ActionStep.builder("flip", "flip").retry(RetryPolicy.fixed(3, Duration.ofSeconds(1))).build())
                .build();
        RunbookEngine engine = engine(rb, flaky("flip", 2, calls)).build();

        Execution e = engine.handle(incident("i1", "web-1"));
        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.step("flip").orElseThrow().attempts()).isEqualTo(3);
        assertThat(e.actionsTaken()).containsExactly(
                "step 'flip' attempt 1 failed and may have changed something: transient 1",
                "step 'flip' attempt 2 failed and may have changed something: transient 2",
                "flipped (attempt 3)");
        // three real changes were made: the hourly budget of 3 is spent
        Execution next = engine.handle(incident("i2", "web-2"));
        assertThat(next.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(next.denial().orElseThrow().reason())
                .isEqualTo("max_actions_per_hour 3 (all runbooks) reached: 3 in the last 1h");
    }

    @Test
    void aRetryThatWouldExceedTheLimitIsRefused() {
        AtomicInteger calls = new AtomicInteger();
        Runbook rb = Runbook.builder("flip").trigger(oom())
                .safety(Safety.builder().maxActionsPerHour(2).build())
                .step(ActionStep.builder("flip", "flip").retry(RetryPolicy.fixed(3, Duration.ofSeconds(1))).build())
                .build();
        Execution e = engine(rb, flaky("flip", 2, calls)).build().handle(incident("i1", "web-1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(calls.get()).isEqualTo(2);
        assertThat(e.step("flip").orElseThrow().error()).hasValue(
                "attempt 3 refused by rate_limit: max_actions_per_hour 2 (all runbooks) reached: 2 in the last 1h");
    }

    @Test
    void anActionUnsafeToRetryGetsOneAttemptAndRetriesSeeValuesFixedAtTheFirst() {
        AtomicInteger calls = new AtomicInteger();
        Action unsafe = new FaultActions.Base("unsafe", true) {
            @Override
            public boolean retrySafe() {
                return false;
            }

            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                calls.incrementAndGet();
                throw ActionException.retryable("flaky");
            }
        };
        var seen = new CopyOnWriteArrayList<Integer>();
        AtomicInteger revisions = new AtomicInteger(7);
        Action pinned = new FaultActions.Base("pinned", true) {
            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                // "the previous revision" is chosen once; a retry must not pick again
                seen.add(ctx.fixedAtFirstAttempt("target", revisions::decrementAndGet));
                if (ctx.attempt() < 3) {
                    throw ActionException.retryable("conflict");
                }
                return ActionResult.empty();
            }
        };
        Runbook rb = Runbook.builder("r").trigger(oom())
                .step(ActionStep.builder("u", "unsafe").retry(RetryPolicy.fixed(3, Duration.ZERO))
                        .onFailure(dev.runbook.core.model.OnFailure.CONTINUE).build())
                .step(ActionStep.builder("p", "pinned").retry(RetryPolicy.fixed(3, Duration.ZERO)).build())
                .build();
        Execution e = engine(rb, unsafe, pinned).build().handle(incident("i1", "web-1"));

        assertThat(calls.get()).isEqualTo(1);
        assertThat(e.step("u").orElseThrow().attempts()).isEqualTo(1);
        assertThat(seen).containsExactly(6, 6, 6);
        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    private static Action flaky(String name, int failures, AtomicInteger calls) {
        return new FaultActions.Base(name, true) {
            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                if (ctx.dryRun()) {
                    return ActionResult.empty();
                }
                int n = calls.incrementAndGet();
                if (n <= failures) {
                    throw ActionException.retryable("transient " + n);
                }
                return ActionResult.empty().withSummary("flipped");
            }
        };
    }
}
