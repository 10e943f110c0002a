package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.failing;
import static dev.runbook.core.engine.EngineTestSupport.flaky;
import static dev.runbook.core.engine.EngineTestSupport.oomIncident;
import static dev.runbook.core.engine.EngineTestSupport.recorder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EngineExecutionTest {
    private final TestClock clock = new TestClock();
    private final EngineTestSupport.RecordingSleeper sleeper = new EngineTestSupport.RecordingSleeper(clock);
    private final FakeCluster cluster = new FakeCluster();

    private static Trigger oom() {
        return Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.8).build();
    }

    private RunbookEngine.Builder engine(Runbook rb, dev.runbook.core.action.Action... actions) {
        return RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(sleeper).runbook(rb).actions(actions);
    }

    @Test
    void outputVariablesFlowIntoLaterStepsAndSingleExpressionTemplatesKeepTheirType() {
        cluster.memoryLimits.put("web-1", "256Mi");
        List<Map<String, Object>> seen = new ArrayList<>();
        Runbook rb = Runbook.builder("flow").trigger(oom())
                .step(ActionStep.builder("get", "kubectl_get").param("resource", "pod")
                        .param("name", "{{ incident.resource.name }}").outputVar("current_memory").build())
                .step(ActionStep.builder("calc", "record")
                        .param("bytes", "{{ current_memory | parse_memory | multiply(2) }}")
                        .param("text", "{{ current_memory | parse_memory | multiply(2) | format_memory }}")
                        .param("line", "Pod {{ incident.resource.name }} had {{ current_memory }}")
                        .outputVar("calc").build())
                .build();
        Execution e = engine(rb, cluster.kubectlGet(), recorder("record", seen)).build().handle(oomIncident("i1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).containsEntry("bytes", 536870912L).containsEntry("text", "512Mi")
                .containsEntry("line", "Pod web-1 had 256Mi");
        assertThat(e.step("get").orElseThrow().output()).contains("256Mi");
    }

    @Test
    void incidentDataIsRenderedLiterallyNeverEvaluated() {
        List<Map<String, Object>> seen = new ArrayList<>();
        Runbook rb = Runbook.builder("literal").trigger(oom())
                .step(ActionStep.builder("echo", "record").param("name", "{{ incident.resource.name }}")
                        .param("msg", "pod={{ incident.resource.name }}").build())
                .build();
        Incident hostile = Incident.builder("i-hostile").rootCause("OOMKilled", 0.9)
                .resource(ResourceRef.of("Pod", "default", "{{ 7 * 7 }}${x}@{y}")).build();
        Execution e = engine(rb, recorder("record", seen)).build().handle(hostile);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(seen.get(0)).containsEntry("name", "{{ 7 * 7 }}${x}@{y}").containsEntry("msg", "pod={{ 7 * 7 }}${x}@{y}");
    }

    @Test
    void retriesWithExponentialBackoffOnTheInjectedSleeper() {
        AtomicInteger calls = new AtomicInteger();
        Runbook rb = Runbook.builder("retry").trigger(oom())
                .step(ActionStep.builder("flaky", "flaky").retry(RetryPolicy.exponential(4, Duration.ofSeconds(1),
                        Duration.ofSeconds(30))).build())
                .build();
        Execution e = engine(rb, flaky("flaky", 2, calls)).executionIds(() -> "exec-1").build()
                .handle(oomIncident("i1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.step("flaky").orElseThrow().attempts()).isEqualTo(3);
        // Equal jitter: each wait between half and all of 1 s, 2 s; seeded by execution and step, so repeatable.
        assertThat(sleeper.sleeps).hasSize(2);
        assertThat(sleeper.sleeps.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(sleeper.sleeps.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        var seeded = dev.runbook.core.retry.Backoff.seeded("exec-1/flaky");
        var policy = RetryPolicy.exponential(4, Duration.ofSeconds(1), Duration.ofSeconds(30)).backoff();
        assertThat(sleeper.sleeps).containsExactly(policy.delayBefore(2, Optional.empty(), seeded),
                policy.delayBefore(3, Optional.empty(), seeded));
    }

    @Test
    void aRetryWaitsAtLeastTheRetryAfterTheActionReportsUpToTheStepsCap() {
        AtomicInteger calls = new AtomicInteger();
        dev.runbook.core.action.Action throttled = new FakeCluster.Simple("throttled", false,
                ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx)
                    throws ActionException {
                int n = calls.incrementAndGet();
                if (n == 1) {
                    throw ActionException.retryable("429").retryAfter(Optional.of(Duration.ofSeconds(7)));
                }
                if (n == 2) {
                    throw ActionException.retryable("429").retryAfter(Optional.of(Duration.ofDays(9999)));
                }
                return ActionResult.of("ok");
            }
        };
        Runbook rb = Runbook.builder("retry").trigger(oom())
                .step(ActionStep.builder("t", "throttled").retry(RetryPolicy.exponential(3, Duration.ofSeconds(1),
                        Duration.ofSeconds(30))).build())
                .build();
        Execution e = engine(rb, throttled).build().handle(oomIncident("i1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        // 7 s asked: honoured, plus at most half the 1 s step of jitter; 9999 days asked: cut to the 30 s cap.
        assertThat(sleeper.sleeps.get(0)).isBetween(Duration.ofSeconds(7), Duration.ofMillis(7500));
        assertThat(sleeper.sleeps.get(1)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aPermanentFailureIsNotRetriedAndRollsBackWithTheCapturedVariables() {
        cluster.memoryLimits.put("web-1", "256Mi");
        List<Map<String, Object>> rollbackSeen = new ArrayList<>();
        Runbook rb = Runbook.builder("rb").trigger(oom())
                .step(ActionStep.builder("get", "kubectl_get").param("resource", "pod")
                        .param("name", "{{ incident.resource.name }}").outputVar("current_memory").build())
                .step(ActionStep.builder("boom", "boom").retry(RetryPolicy.fixed(5, Duration.ofSeconds(1))).build())
                .rollbackStep(ActionStep.builder("revert", "record").param("memory", "{{ current_memory }}")
                        .param("why", "{{ error_message }}").build())
                .build();
        Execution e = engine(rb, cluster.kubectlGet(), failing("boom", "quota exceeded"), recorder("record", rollbackSeen))
                .build().handle(oomIncident("i1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(e.step("boom").orElseThrow().attempts()).isEqualTo(1);
        assertThat(sleeper.sleeps).isEmpty();
        assertThat(e.error()).contains("step 'boom' failed: quota exceeded");
        assertThat(rollbackSeen).containsExactly(Map.of("memory", "256Mi", "why", "step 'boom' failed: quota exceeded"));
        assertThat(e.rollbackSteps()).extracting(StepResult::status).containsExactly(StepStatus.SUCCEEDED);
    }

    @Test
    void onFailureContinueGoesOnAndFailStopsWithoutRollback() {
        List<Map<String, Object>> seen = new ArrayList<>();
        Runbook cont = Runbook.builder("cont").trigger(oom())
                .step(ActionStep.builder("boom", "boom").onFailure(OnFailure.CONTINUE).build())
                .step(ActionStep.builder("after", "record").param("x", 1).build())
                .rollbackStep(ActionStep.builder("undo", "record").param("undo", true).build())
                .build();
        Execution e1 = engine(cont, failing("boom", "nope"), recorder("record", seen)).build().handle(oomIncident("i1"));
        assertThat(e1.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e1.step("boom").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
        assertThat(seen).containsExactly(Map.of("x", 1L));

        seen.clear();
        Runbook fail = cont.toBuilder().build();
        fail = Runbook.builder("fail").trigger(oom())
                .step(ActionStep.builder("boom", "boom").onFailure(OnFailure.FAIL).build())
                .step(ActionStep.builder("after", "record").param("x", 1).build())
                .rollbackStep(ActionStep.builder("undo", "record").param("undo", true).build())
                .build();
        Execution e2 = engine(fail, failing("boom", "nope"), recorder("record", seen)).build().handle(oomIncident("i2"));
        assertThat(e2.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(seen).isEmpty();
        assertThat(e2.rollbackSteps()).isEmpty();
    }

    @Test
    void branchesAndWhenConditionsChooseTheStepsThatRun() {
        List<Map<String, Object>> seen = new ArrayList<>();
        Runbook rb = Runbook.builder("branch").trigger(oom())
                .step(ActionStep.builder("high-only", "record").param("which", "high")
                        .when("incident.rca_confidence >= 0.95").build())
                .step(BranchStep.of("is-pod", "incident.resource.kind == 'Pod'",
                        List.of(ActionStep.builder("pod", "record").param("which", "pod").build()),
                        List.of(ActionStep.builder("other", "record").param("which", "other").build())))
                .build();
        Execution e = engine(rb, recorder("record", seen)).build().handle(oomIncident("i1", "web-1", 0.9));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(seen).containsExactly(Map.of("which", "pod"));
        assertThat(e.step("high-only").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(e.step("is-pod").orElseThrow().output()).contains("then");
    }

    @Test
    @Timeout(10)
    void aStepThatOverrunsItsTimeoutFails() {
        CountDownLatch never = new CountDownLatch(1);
        var hang = new FakeCluster.Simple("hang", false, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) throws InterruptedException {
                never.await();
                return ActionResult.empty();
            }
        };
        Runbook rb = Runbook.builder("slow").trigger(oom())
                .step(ActionStep.builder("hang", "hang").timeout(Duration.ofMillis(100)).onFailure(OnFailure.FAIL).build())
                .build();
        try (RunbookEngine engine = engine(rb, hang).build()) {
            Execution e = engine.handle(oomIncident("i1"));
            assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(e.error()).hasValueSatisfying(m -> assertThat(m).contains("timed out after 100ms"));
        }
    }

    @Test
    @Timeout(10)
    void cancellingARunningExecutionStopsItAndRollsBack() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        var block = blockingUntilInterrupted(started);
        List<Map<String, Object>> rollback = new CopyOnWriteArrayList<>();
        Runbook rb = Runbook.builder("cancel").trigger(oom())
                .step(ActionStep.builder("block", "block").build())
                .step(ActionStep.builder("never", "record").param("x", 1).build())
                .rollbackStep(ActionStep.builder("undo", "record").param("undo", true).build())
                .build();
        try (RunbookEngine engine = engine(rb, block, recorder("record", rollback)).build()) {
            var future = engine.handleAsync(oomIncident("i-cancel"));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.cancel("i-cancel")).isEqualTo(1);
            Execution e = future.get(5, TimeUnit.SECONDS);
            assertThat(e.status()).isEqualTo(ExecutionStatus.CANCELLED);
            assertThat(rollback).containsExactly(Map.of("undo", true));
            assertThat(e.step("never")).isEmpty();
        }
    }

    @Test
    @Timeout(10)
    void aRepeatedExecutionIdIsRefusedWhileItRunsSoTheFirstStaysCancellableAndAwaited() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        var block = blockingUntilInterrupted(started);
        List<Map<String, Object>> rollback = new CopyOnWriteArrayList<>();
        Runbook rb = Runbook.builder("cancel").trigger(oom())
                .step(ActionStep.builder("block", "block").build())
                .rollbackStep(ActionStep.builder("undo", "record").param("undo", true).build())
                .build();
        Incident unmatched = Incident.builder("i-other").rootCause("ImagePullBackOff", 0.9)
                .resource(ResourceRef.of("Pod", "default", "web-2")).build();
        try (RunbookEngine engine = engine(rb, block, recorder("record", rollback)).executionIds(() -> "exec-same")
                .build()) {
            var future = engine.handleAsync(oomIncident("i-first"));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            // fails closed: the second execution never starts, so it needs no cancelling and no waiting for
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.handle(unmatched))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("execution id 'exec-same' is already running (incident i-first)")
                    .hasMessageContaining("incident i-other is not handled")
                    .hasMessageContaining("RunbookEngine.Builder.executionIds");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.handleAsync(unmatched))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'exec-same'");

            // the first run is still tracked: listed, and cancellable by its id
            assertThat(engine.runningExecutions()).containsExactly("exec-same");
            assertThat(engine.cancel("exec-same")).isEqualTo(1);
            Execution e = future.get(5, TimeUnit.SECONDS);
            assertThat(e.status()).isEqualTo(ExecutionStatus.CANCELLED);
            assertThat(rollback).containsExactly(Map.of("undo", true));
            assertThat(engine.runningExecutions()).isEmpty();

            // once it has ended, the id is free again
            assertThat(engine.handle(unmatched).status()).isEqualTo(ExecutionStatus.NO_MATCH);
        }
    }

    /** A mutating action deaf to interrupts: it waits for {@code release} whatever happens, then writes. */
    private static FakeCluster.Simple deafWriter(CountDownLatch started, CountDownLatch release, List<String> log) {
        return new FakeCluster.Simple("deaf", true, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                if (ctx.dryRun()) {
                    return ActionResult.empty();
                }
                started.countDown();
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException ignored) {
                        // deaf, like a blocking socket read
                    }
                }
                log.add("forward write, attempt " + ctx.attempt());
                return ActionResult.empty();
            }
        };
    }

    @Test
    @Timeout(20)
    void aDeafMutatingStepThatOverrunsItsTimeoutIsNotRetriedWhileItRunsAndTheRollbackComesAfterIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> log = new CopyOnWriteArrayList<>();
        var undo = new FakeCluster.Simple("undo", true, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                log.add("rollback");
                return ActionResult.empty();
            }
        };
        Runbook rb = Runbook.builder("slow").trigger(oom())
                .step(ActionStep.builder("hang", "deaf").timeout(Duration.ofMillis(100))
                        .retry(RetryPolicy.fixed(3, Duration.ZERO)).build())
                .rollbackStep(ActionStep.builder("undo", "undo").build())
                .build();
        try (RunbookEngine engine = engine(rb, deafWriter(started, release, log), undo)
                .attemptGrace(Duration.ofMillis(50)).abandonedAttemptWait(Duration.ofSeconds(15))
                .listener(new ExecutionListener() {
                    @Override
                    public void stepFinished(String executionId, String runbookId, StepResult r) {
                        if (r.name().equals("hang")) {
                            release.countDown(); // the attempt ends only after the engine gave up on it
                        }
                    }
                }).build()) {
            Execution e = engine.handle(oomIncident("i1"));
            assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(e.step("hang").orElseThrow().attempts()).isEqualTo(1);
            assertThat(log).containsExactly("forward write, attempt 1", "rollback");
        }
    }

    @Test
    @Timeout(20)
    void cancellingADeafMutatingStepWaitsForItBeforeRollingBack() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> log = new CopyOnWriteArrayList<>();
        var undo = new FakeCluster.Simple("undo", true, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                log.add("rollback");
                return ActionResult.empty();
            }
        };
        Runbook rb = Runbook.builder("cancel").trigger(oom())
                .step(ActionStep.builder("deaf", "deaf").build())
                .rollbackStep(ActionStep.builder("undo", "undo").build())
                .build();
        try (RunbookEngine engine = engine(rb, deafWriter(started, release, log), undo)
                .attemptGrace(Duration.ofMillis(50)).abandonedAttemptWait(Duration.ofSeconds(15))
                .listener(new ExecutionListener() {
                    @Override
                    public void stepFinished(String executionId, String runbookId, StepResult r) {
                        if (r.name().equals("deaf")) {
                            release.countDown();
                        }
                    }
                }).build()) {
            var future = engine.handleAsync(oomIncident("i-cancel"));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.cancel("i-cancel")).isEqualTo(1);
            Execution e = future.get(10, TimeUnit.SECONDS);
            assertThat(e.status()).isEqualTo(ExecutionStatus.CANCELLED);
            assertThat(log).containsExactly("forward write, attempt 1", "rollback");
        }
    }

    @Test
    void secretParametersReachTheActionButAreMaskedInTheRecord() {
        List<Map<String, Object>> seen = new ArrayList<>();
        Runbook rb = Runbook.builder("secret").trigger(oom())
                .parameter(Parameter.secret("registry_config", "docker config json"))
                .step(ActionStep.builder("apply", "record").param("data", "{{ base64(registry_config) }}")
                        .param("name", "regcred").build())
                .build();
        Execution e = engine(rb, recorder("record", seen)).parameter("registry_config", "{\"auths\":{}}").build()
                .handle(oomIncident("i1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(seen.get(0)).containsEntry("data", "eyJhdXRocyI6e319");
        assertThat(e.step("apply").orElseThrow().params()).containsEntry("data", "***").containsEntry("name", "regcred");
    }

    @Test
    void aRequiredParameterWithoutValueIsDeniedBeforeAnyStep() {
        List<Map<String, Object>> seen = new ArrayList<>();
        Runbook rb = Runbook.builder("needs").trigger(oom())
                .parameter(Parameter.required("registry_config", "docker config json"))
                .step(ActionStep.builder("apply", "record").param("data", "{{ registry_config }}").build())
                .build();
        Execution e = engine(rb, recorder("record", seen)).build().handle(oomIncident("i1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(e.denial().orElseThrow().guard()).isEqualTo("parameters");
        assertThat(e.denial().orElseThrow().reason()).contains("registry_config");
        assertThat(seen).isEmpty();
    }

    @Test
    void aRunbookChainsAnotherAndSeesItsOutputs() {
        List<Map<String, Object>> seen = new ArrayList<>();
        Runbook child = Runbook.builder("child").trigger(Trigger.builder().rootCauseReason("never").build())
                .parameter(Parameter.withDefault("factor", "multiplier", 2))
                .step(ActionStep.builder("compute", "record").param("v", "{{ factor }}").outputVar("computed").build())
                .build();
        Runbook parent = Runbook.builder("parent").trigger(oom())
                .step(ActionStep.builder("call", "run_runbook").param("runbook", "child")
                        .param("params", Map.of("factor", 3)).outputVar("child_out").build())
                .step(ActionStep.builder("use", "record").param("got", "{{ child_out.computed.v }}").build())
                .build();
        Execution e = RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(sleeper)
                .runbooks(List.of(parent, child)).actions(recorder("record", seen)).build().handle(oomIncident("i1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.runbookId()).isEqualTo("parent");
        assertThat(seen).containsExactly(Map.of("v", 3L), Map.of("got", 3L));
        assertThat(e.steps()).extracting(StepResult::name).contains("child/compute", "call", "use");
    }

    @Test
    void noMatchingRunbookGivesANoMatchRecordWithReasons() {
        Runbook rb = Runbook.builder("oom").trigger(oom()).step(ActionStep.builder("x", "record").build()).build();
        Execution e = engine(rb, recorder("record", new ArrayList<>())).build()
                .handle(oomIncident("i1", "web-1", 0.5));

        assertThat(e.status()).isEqualTo(ExecutionStatus.NO_MATCH);
        assertThat(e.match().rejected()).singleElement()
                .satisfies(m -> assertThat(m.why()).isEqualTo("min_confidence 0.80 > rca_confidence 0.50"));
    }

    @Test
    void noMatchExplainsEveryRunbookEvenThoseIndexedUnderOtherReasons() {
        Runbook oomRb = Runbook.builder("oom").trigger(oom()).step(ActionStep.builder("x", "record").build()).build();
        Runbook node = Runbook.builder("node").trigger(Trigger.builder().rootCauseReason("NodeNotReady").build())
                .step(ActionStep.builder("x", "record").build()).build();
        Incident evicted = Incident.builder("i-ev").rootCause("Evicted", 0.9).resource(ResourceRef.of("Pod", "default", "p"))
                .build();
        Execution e = RunbookEngine.builder().discoverActions(false).clock(clock).runbooks(List.of(oomRb, node))
                .actions(recorder("record", new ArrayList<>())).build().handle(evicted);

        assertThat(e.status()).isEqualTo(ExecutionStatus.NO_MATCH);
        assertThat(e.match().rejected()).extracting(m -> m.runbook().id() + ": " + m.why()).containsExactlyInAnyOrder(
                "oom: root_cause_reason 'Evicted' not in [OOMKilled]",
                "node: root_cause_reason 'Evicted' not in [NodeNotReady]");
    }

    @Test
    void statsListenerReportsSuccessRateAndMeanDuration() {
        var stats = new InMemoryExecutionStats();
        AtomicInteger calls = new AtomicInteger();
        Runbook ok = Runbook.builder("ok").trigger(oom())
                .step(ActionStep.builder("slow", "slow").build()).build();
        var slow = new FakeCluster.Simple("slow", false, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) throws dev.runbook.core.action.ActionException {
                clock.advance(Duration.ofSeconds(2));
                if (calls.incrementAndGet() == 2) {
                    throw dev.runbook.core.action.ActionException.permanent("second fails");
                }
                return ActionResult.empty();
            }
        };
        RunbookEngine engine = engine(ok, slow).listener(stats).build();
        engine.handle(oomIncident("a"));
        engine.handle(oomIncident("b"));
        engine.handle(oomIncident("c"));
        engine.handle(oomIncident("d", "web-1", 0.1));

        var s = stats.stats("ok").orElseThrow();
        assertThat(s.executions()).isEqualTo(3);
        assertThat(s.succeeded()).isEqualTo(2);
        assertThat(s.successRate()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.meanDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(stats.stats("missing")).isEqualTo(Optional.empty());
    }

    /** A mutating action {@code block} that counts {@code started} down, then waits until it is interrupted. */
    private static dev.runbook.core.action.Action blockingUntilInterrupted(CountDownLatch started) {
        return new FakeCluster.Simple("block", true, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) throws InterruptedException {
                started.countDown();
                new CountDownLatch(1).await();
                return ActionResult.empty();
            }
        };
    }
}
