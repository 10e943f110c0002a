package dev.runbook.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Executions as traces, through a real engine and the SDK's in-memory exporter. */
class RunbookTracingTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(provider).build();

    @AfterEach
    void close() {
        provider.close();
    }

    private static Action action(String name, boolean fails) {
        return new Action() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name;
            }

            @Override
            public ParamSchema schema() {
                return ParamSchema.open();
            }

            @Override
            public boolean mutating() {
                return true;
            }

            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                if (fails && !ctx.dryRun()) {
                    throw ActionException.permanent("still crashing");
                }
                return ActionResult.of("done");
            }
        };
    }

    private static Incident incident(String id, String cause) {
        return Incident.builder(id).rootCause(cause, 0.9).resource("Pod", "default", "web-1").build();
    }

    private List<SpanData> childrenOf(SpanData parent, String name) {
        return exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(parent.getSpanId()) && s.getName().equals(name)).toList();
    }

    private SpanData execution(String incidentId) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(RunbookTracing.EXECUTION_SPAN)
                && incidentId.equals(s.getAttributes().get(RunbookTracing.INCIDENT))).findFirst().orElseThrow();
    }

    @Test
    void anExecutionIsOneTraceWithAChildSpanPerGuardAndPerStepOfTheDryRunTheRunAndTheRollback() {
        Runbook fails = Runbook.builder("rollout").trigger(Trigger.builder().rootCauseReason("CrashLoop").build())
                .safety(Safety.builder().dryRunFirst(true).build())
                .step(ActionStep.builder("patch", "patch").build())
                .step(ActionStep.builder("verify", "verify").build())
                .rollbackStep(ActionStep.builder("undo", "patch").build())
                .build();
        Runbook ok = Runbook.builder("restart").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("patch", "patch").build()).build();
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(new TestClock())
                .runbooks(List.of(fails, ok)).actions(action("patch", false), action("verify", true))
                .listener(RunbookTracing.of(otel)).build()) {
            assertThat(engine.handle(incident("i1", "CrashLoop")).status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(engine.handle(incident("i2", "OOMKilled")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(engine.handle(incident("i3", "DiskFull")).status()).isEqualTo(ExecutionStatus.NO_MATCH);
        }

        SpanData rolledBack = execution("i1");
        assertThat(rolledBack.getParentSpanContext().isValid()).as("an execution starts its own trace").isFalse();
        assertThat(rolledBack.getAttributes().get(RunbookTracing.RUNBOOK)).isEqualTo("rollout");
        assertThat(rolledBack.getAttributes().get(RunbookTracing.ROOT_CAUSE)).isEqualTo("CrashLoop");
        assertThat(rolledBack.getAttributes().get(RunbookTracing.CONFIDENCE)).isEqualTo(0.9);
        assertThat(rolledBack.getAttributes().get(RunbookTracing.STATUS)).isEqualTo("rolled_back");
        assertThat(rolledBack.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(rolledBack.getEvents()).extracting(e -> e.getName()).containsExactly("rollback");

        List<SpanData> steps = childrenOf(rolledBack, RunbookTracing.STEP_SPAN);
        assertThat(steps).extracting(s -> s.getAttributes().get(RunbookTracing.PHASE) + " "
                        + s.getAttributes().get(RunbookTracing.STEP) + " " + s.getAttributes().get(RunbookTracing.STEP_STATUS))
                .containsExactlyInAnyOrder("dry_run patch succeeded", "dry_run verify succeeded", "run patch succeeded",
                        "run verify failed", "rollback undo succeeded");
        assertThat(steps).filteredOn(s -> "failed".equals(s.getAttributes().get(RunbookTracing.STEP_STATUS)))
                .singleElement().satisfies(s -> {
                    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
                    assertThat(s.getStatus().getDescription()).contains("still crashing");
                    assertThat(s.getTraceId()).isEqualTo(rolledBack.getTraceId());
                });
        assertThat(childrenOf(rolledBack, RunbookTracing.GUARD_SPAN))
                .extracting(s -> s.getAttributes().get(RunbookTracing.GUARD))
                .contains("enabled", "confidence", "rate_limit", "dry_run");

        SpanData succeeded = execution("i2");
        assertThat(succeeded.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(succeeded.getTraceId()).isNotEqualTo(rolledBack.getTraceId());
        assertThat(childrenOf(succeeded, RunbookTracing.STEP_SPAN)).hasSize(1);

        SpanData nothing = execution("i3");
        assertThat(nothing.getAttributes().get(RunbookTracing.STATUS)).isEqualTo("no_match");
        assertThat(exporter.getFinishedSpanItems()).filteredOn(s -> s.getParentSpanId().equals(nothing.getSpanId())).isEmpty();
    }

    @Test
    void aDeniedExecutionEndsWithTheDenyingGuardAsAFailedChild() {
        Runbook ok = Runbook.builder("restart").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("patch", "patch").build()).build();
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(new TestClock()).runbook(ok)
                .actions(action("patch", false)).listener(RunbookTracing.of(otel)).build()) {
            engine.killSwitch().engage("maintenance window");
            assertThat(engine.handle(incident("i4", "OOMKilled")).status()).isEqualTo(ExecutionStatus.DENIED);
        }
        SpanData denied = execution("i4");
        assertThat(denied.getAttributes().get(RunbookTracing.STATUS)).isEqualTo("denied");
        assertThat(childrenOf(denied, RunbookTracing.GUARD_SPAN)).singleElement().satisfies(g -> {
            assertThat(g.getAttributes().get(RunbookTracing.ALLOWED)).isFalse();
            assertThat(g.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(g.getAttributes().get(RunbookTracing.REASON)).contains("maintenance window");
        });
        assertThat(childrenOf(denied, RunbookTracing.STEP_SPAN)).isEmpty();
    }
}
