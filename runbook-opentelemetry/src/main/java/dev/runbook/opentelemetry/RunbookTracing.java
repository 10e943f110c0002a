package dev.runbook.opentelemetry;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's executions as OpenTelemetry traces, as an {@link ExecutionListener}: register it with
 * {@code RunbookEngine.builder().listener(RunbookTracing.of(openTelemetry))}.
 *
 * <p>Each execution is a span {@value #EXECUTION_SPAN} with attributes {@code runbook.id},
 * {@code runbook.incident.id}, {@code runbook.incident.root_cause}, {@code runbook.incident.confidence} and, at its
 * end, {@code runbook.status}; its status is ERROR unless the execution succeeded, matched nothing or was denied.
 * Its children: one span per guard decision ({@value #GUARD_SPAN}, {@code runbook.guard.name},
 * {@code runbook.guard.allowed}, {@code runbook.guard.reason}) and one per step of the dry run, the run and the
 * rollback ({@value #STEP_SPAN}, {@code runbook.step.name}, {@code runbook.step.action}, {@code runbook.step.phase},
 * {@code runbook.step.status}, and the error as the span's status description). A rollback is also an event on the
 * execution span. Spans are timed by the OpenTelemetry SDK's clock, as the events happen (an engine on a test clock
 * still gives consistent traces). Incident text goes into attribute values only, never into span names, so names
 * stay few.
 */
public final class RunbookTracing implements ExecutionListener {
    /** Name of the execution span. */
    public static final String EXECUTION_SPAN = "runbook.execution";
    /** Name of a guard decision's span. */
    public static final String GUARD_SPAN = "runbook.guard";
    /** Name of a step's span. */
    public static final String STEP_SPAN = "runbook.step";

    static final AttributeKey<String> RUNBOOK = AttributeKey.stringKey("runbook.id");
    static final AttributeKey<String> INCIDENT = AttributeKey.stringKey("runbook.incident.id");
    static final AttributeKey<String> ROOT_CAUSE = AttributeKey.stringKey("runbook.incident.root_cause");
    static final AttributeKey<Double> CONFIDENCE = AttributeKey.doubleKey("runbook.incident.confidence");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("runbook.status");
    static final AttributeKey<String> GUARD = AttributeKey.stringKey("runbook.guard.name");
    static final AttributeKey<Boolean> ALLOWED = AttributeKey.booleanKey("runbook.guard.allowed");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("runbook.guard.reason");
    static final AttributeKey<String> STEP = AttributeKey.stringKey("runbook.step.name");
    static final AttributeKey<String> ACTION = AttributeKey.stringKey("runbook.step.action");
    static final AttributeKey<String> PHASE = AttributeKey.stringKey("runbook.step.phase");
    static final AttributeKey<String> STEP_STATUS = AttributeKey.stringKey("runbook.step.status");

    private final Tracer tracer;
    /** Open execution spans by execution id; removed when the execution ends. */
    private final Map<String, Span> executions = new ConcurrentHashMap<>();
    private final Map<String, Boolean> rollingBack = new ConcurrentHashMap<>();
    /** The step running now, by execution id: an execution runs one step at a time. */
    private final Map<String, Span> steps = new ConcurrentHashMap<>();

    private RunbookTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Traces through this OpenTelemetry instance, under the instrumentation scope {@code dev.runbook}. */
    public static RunbookTracing of(OpenTelemetry openTelemetry) {
        return new RunbookTracing(Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer("dev.runbook"));
    }

    @Override
    public void executionStarted(String executionId, Incident incident, MatchReport match) {
        Span span = tracer.spanBuilder(EXECUTION_SPAN).setSpanKind(SpanKind.INTERNAL).setNoParent()
                .setAttribute(INCIDENT, incident.incidentId())
                .setAttribute(ROOT_CAUSE, incident.rootCauseReason())
                .setAttribute(CONFIDENCE, incident.rcaConfidence())
                .setAttribute(RUNBOOK, match.best().map(Runbook::id).orElse(""))
                .startSpan();
        executions.put(executionId, span);
    }

    @Override
    public void guardDecided(String executionId, String runbookId, GuardDecision decision) {
        Span parent = executions.get(executionId);
        if (parent == null) {
            return;
        }
        Span guard = tracer.spanBuilder(GUARD_SPAN).setParent(Context.root().with(parent))
                .setAttribute(RUNBOOK, runbookId).setAttribute(GUARD, decision.guard())
                .setAttribute(ALLOWED, decision.allowed()).setAttribute(REASON, decision.reason()).startSpan();
        if (!decision.allowed()) {
            guard.setStatus(StatusCode.ERROR, decision.reason());
        }
        guard.end();
    }

    @Override
    public void rollbackStarted(String executionId, String runbookId, String reason) {
        rollingBack.put(executionId, true);
        Span parent = executions.get(executionId);
        if (parent != null) {
            parent.addEvent("rollback", Attributes.of(REASON, reason));
        }
    }

    @Override
    public void stepStarted(String executionId, String runbookId, StepResult.Start start) {
        Span parent = executions.get(executionId);
        if (parent == null) {
            return;
        }
        String phase = start.dryRun() ? "dry_run" : rollingBack.containsKey(executionId) ? "rollback" : "run";
        steps.put(executionId, tracer.spanBuilder(STEP_SPAN).setParent(Context.root().with(parent))
                .setAttribute(RUNBOOK, runbookId).setAttribute(STEP, start.name()).setAttribute(ACTION, start.action())
                .setAttribute(PHASE, phase).startSpan());
    }

    @Override
    public void stepFinished(String executionId, String runbookId, StepResult result) {
        Span step = steps.remove(executionId);
        if (step == null) {
            return;
        }
        step.setAttribute(STEP_STATUS, lower(result.status().name()));
        result.error().ifPresent(e -> step.setStatus(StatusCode.ERROR, e));
        step.end();
    }

    @Override
    public void executionFinished(Execution execution) {
        rollingBack.remove(execution.id());
        Span open = steps.remove(execution.id());
        if (open != null) {
            open.end();
        }
        Span span = executions.remove(execution.id());
        if (span == null) {
            return;
        }
        span.setAttribute(RUNBOOK, execution.runbookId());
        span.setAttribute(STATUS, lower(execution.status().name()));
        switch (execution.status()) {
            case SUCCEEDED, NO_MATCH, DENIED, PLANNED, RECOVERED_RESUMED -> span.setStatus(StatusCode.OK);
            default -> span.setStatus(StatusCode.ERROR, execution.error().orElse(execution.status().name()));
        }
        span.end();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
