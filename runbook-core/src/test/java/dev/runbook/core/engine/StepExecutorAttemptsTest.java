package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.oomIncident;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import dev.runbook.core.retry.Backoff;
import dev.runbook.testkit.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A backend's call of one attempt ({@link StepExecutor.StepCall#attempt()}): it makes that attempt only, says how long
 * to wait before the next as the in-process backoff would, and the listeners hear of the step once.
 */
class StepExecutorAttemptsTest {
    private final TestClock clock = new TestClock();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** Fails its first {@code failures} calls, retryably or not; outputs the token fixed at the first attempt. */
    private Action flaky(int failures, boolean retryable) {
        return new Action() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public String description() {
                return "fails its first calls";
            }

            @Override
            public ParamSchema schema() {
                return ParamSchema.of();
            }

            @Override
            public boolean mutating() {
                return true;
            }

            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                int n = calls.incrementAndGet();
                String token = ctx.fixedAtFirstAttempt("token", () -> "token-" + n);
                if (n <= failures) {
                    throw new ActionException("call " + n + " failed", retryable);
                }
                return ActionResult.of(token);
            }
        };
    }

    private RunbookEngine engine(Action action) {
        Runbook rb = Runbook.builder("flaky-rb").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("flaky", "flaky").retry(RetryPolicy.of(3, Duration.ofSeconds(10))).build())
                .build();
        return RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb).actions(action)
                .listener(new ExecutionListener() {
                    @Override
                    public void stepStarted(String executionId, String runbookId, StepResult.Start step) {
                        events.add("started " + step.name());
                    }

                    @Override
                    public void stepFinished(String executionId, String runbookId, StepResult result) {
                        events.add("finished " + result.name() + " " + result.status() + " " + result.attempts());
                    }
                }).build();
    }

    private static StepExecutor.StepCall attempt(int n, Map<String, Object> fixed) {
        return new StepExecutor.StepCall("exec-1", "flaky-rb", oomIncident("i1"), 0, false, Map.of(), Set.of(), n, fixed);
    }

    @Test
    void eachCallMakesOneAttemptWaitsNothingAndSaysTheInProcessBackoff() {
        try (RunbookEngine engine = engine(flaky(2, true))) {
            StepExecutor steps = engine.stepExecutor();

            StepExecutor.StepRun first = steps.run(attempt(1, Map.of()));
            StepExecutor.StepRun second = steps.run(attempt(2, first.fixed()));
            StepExecutor.StepRun third = steps.run(attempt(3, second.fixed()));

            assertThat(calls).hasValue(3);
            // the waits the in-process loop would draw for this execution and step, in order
            var jitter = Backoff.seeded("exec-1/flaky");
            Backoff backoff = RetryPolicy.of(3, Duration.ofSeconds(10)).backoff();
            assertThat(first.retryAfter()).hasValue(backoff.delayBefore(2, Optional.empty(), jitter));
            assertThat(second.retryAfter()).hasValue(backoff.delayBefore(3, Optional.empty(), jitter));
            assertThat(first.retryAfter().get()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
            assertThat(third.retryAfter()).isEmpty();
            assertThat(third.failed()).isFalse();
            assertThat(third.results()).singleElement().satisfies(r -> {
                assertThat(r.attempts()).isEqualTo(3);
                assertThat(r.output()).hasValue("token-1");
            });
            assertThat(events).containsExactly("started flaky", "finished flaky SUCCEEDED 3");
            assertThat(third.actionsTaken()).singleElement().asString().endsWith("(attempt 3)");
        }
    }

    @Test
    void aNonRetryableFailureOrTheLastAttemptIsFinal() {
        try (RunbookEngine engine = engine(flaky(5, false))) {
            StepExecutor.StepRun run = engine.stepExecutor().run(attempt(1, Map.of()));

            assertThat(run.failed()).isTrue();
            assertThat(run.retryAfter()).isEmpty();
            assertThat(events).containsExactly("started flaky", "finished flaky FAILED 1");
        }
        events.clear();
        calls.set(0);
        try (RunbookEngine engine = engine(flaky(5, true))) {
            StepExecutor.StepRun last = engine.stepExecutor().run(attempt(3, Map.of()));

            assertThat(last.failed()).isTrue();
            assertThat(last.retryAfter()).as("no attempt 4").isEmpty();
            assertThat(last.results()).singleElement().extracting(StepResult::attempts).isEqualTo(3);
            assertThat(events).as("a later attempt continues a step already started")
                    .containsExactly("finished flaky FAILED 3");
        }
    }

    @Test
    void aBranchCalledForOneAttemptRunsWholeEachNestedStepWithAllItsAttempts() {
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(d -> { })
                .runbook(Runbook.builder("flaky-rb").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                        .step(dev.runbook.core.model.BranchStep.of("pick", "true",
                                List.of(ActionStep.builder("flaky", "flaky").retry(RetryPolicy.of(3, Duration.ofSeconds(10)))
                                        .build()), List.of()))
                        .build())
                .actions(flaky(2, true)).build()) {
            StepExecutor.StepRun run = engine.stepExecutor().run(attempt(1, Map.of()));

            assertThat(calls).hasValue(3);
            assertThat(run.failed()).isFalse();
            assertThat(run.retryAfter()).isEmpty();
        }
    }

    @Test
    void everyAttemptInOneCallWhenNoneIsGiven() {
        // the in-process loop's waits go to the engine's sleeper; here it returns at once
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(d -> { })
                .runbook(Runbook.builder("flaky-rb").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                        .step(ActionStep.builder("flaky", "flaky").retry(RetryPolicy.of(3, Duration.ofSeconds(10)))
                                .build()).build())
                .actions(flaky(2, true)).build()) {
            StepExecutor.StepRun run = engine.stepExecutor().run(new StepExecutor.StepCall("exec-1", "flaky-rb",
                    oomIncident("i1"), 0, false, Map.of(), Set.of()));

            assertThat(calls).hasValue(3);
            assertThat(run.retryAfter()).isEmpty();
            assertThat(run.results()).singleElement().extracting(StepResult::attempts).isEqualTo(3);
        }
    }
}
