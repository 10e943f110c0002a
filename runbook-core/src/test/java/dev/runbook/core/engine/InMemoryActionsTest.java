package dev.runbook.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Actions that only work in memory run on the execution's own thread (no hand-off to an attempt thread); every
 * other action still runs on an engine thread under its timeout.
 */
class InMemoryActionsTest {
    private final TestClock clock = new TestClock();
    private final EngineTestSupport.RecordingSleeper sleeper = new EngineTestSupport.RecordingSleeper(clock);

    /** Records the thread it ran on; in memory or not as asked. */
    private static Action threadRecorder(String name, boolean inMemory, List<Thread> threads) {
        return new FakeCluster.Simple(name, false, ParamSchema.open()) {
            @Override
            public boolean inMemory() {
                return inMemory;
            }

            @Override
            public ActionResult execute(ActionContext ctx) {
                threads.add(Thread.currentThread());
                return ActionResult.of("ran");
            }
        };
    }

    private static Runbook twoSteps(String first, String second) {
        return Runbook.builder("threads").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("first", first).build())
                .step(ActionStep.builder("second", second).build())
                .build();
    }

    @Test
    void anInMemoryActionRunsOnTheCallersThreadAndAnyOtherOnAnEngineThread() {
        List<Thread> inMemory = new CopyOnWriteArrayList<>();
        List<Thread> other = new CopyOnWriteArrayList<>();
        try (var engine = RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(sleeper)
                .runbook(twoSteps("compute", "call"))
                .actions(threadRecorder("compute", true, inMemory), threadRecorder("call", false, other)).build()) {
            Execution e = engine.handle(EngineTestSupport.oomIncident("i-1"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(inMemory).containsExactly(Thread.currentThread());
            assertThat(other).hasSize(1).doesNotContain(Thread.currentThread());
        }
    }

    @Test
    void anInMemoryActionThatFailsIsRetriedAndReportedLikeAnyOther() {
        var calls = new AtomicInteger();
        Action flaky = new FakeCluster.Simple("compute", false, ParamSchema.open()) {
            @Override
            public boolean inMemory() {
                return true;
            }

            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                if (calls.incrementAndGet() < 3) {
                    throw ActionException.retryable("not yet " + calls.get());
                }
                throw ActionException.permanent("broken on attempt " + calls.get());
            }
        };
        Runbook rb = Runbook.builder("retries").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("compute", "compute")
                        .retry(new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30))).build())
                .build();
        try (var engine = RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(sleeper).runbook(rb)
                .actions(flaky).build()) {
            Execution e = engine.handle(EngineTestSupport.oomIncident("i-2"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(e.steps().get(0).attempts()).isEqualTo(3);
            assertThat(e.steps().get(0).error()).hasValueSatisfying(m -> assertThat(m).contains("broken on attempt 3"));
            assertThat(sleeper.sleeps).hasSize(2);
            assertThat(Thread.interrupted()).as("the caller's thread is left as it was").isFalse();
        }
    }

    @Test
    void theBuiltInsThatOnlyComputeRunInMemoryAndTheOnesThatWaitOrCallOutDoNot() {
        Map<String, Boolean> inMemory = new BuiltinActions().actions().stream()
                .collect(Collectors.toMap(Action::name, Action::inMemory));

        assertThat(inMemory).containsEntry("log", true).containsEntry("calculate", true).containsEntry("set", true)
                .containsEntry("assert", true).containsEntry("fail", true)
                .containsEntry("wait", false).containsEntry("webhook", false).containsEntry("slack_notify", false);
    }
}
