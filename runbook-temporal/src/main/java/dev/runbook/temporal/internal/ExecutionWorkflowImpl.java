package dev.runbook.temporal.internal;

import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.internal.Durations;
import dev.runbook.core.model.OnFailure;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan as a workflow, the same flow as the in-process engine's: steps in order until one fails, then, when its
 * policy is {@code rollback}, the rollback steps with the variables captured so far. Deterministic: time only from
 * {@link Workflow}, every effect in an activity. Changes to this flow go behind {@link Workflow#getVersion} so that
 * executions already running replay the flow they started with.
 */
public final class ExecutionWorkflowImpl implements ExecutionWorkflow {
    /** Attempts the server makes when a worker is lost while running a step that is safe to run again. */
    private static final int WORKER_LOSS_ATTEMPTS = 3;

    private final List<String> actions = new ArrayList<>();
    private Map<String, Object> vars;

    @Override
    public Payloads.WorkflowResult run(Payloads.WorkflowInput in) {
        // Version 1: fixed waits on durable timers. Bump with a new branch, never edit a released one.
        int version = Workflow.getVersion("runbook-flow", Workflow.DEFAULT_VERSION, 1);
        vars = new HashMap<>(in.variables());
        var steps = new ArrayList<StepResult>();
        Payloads.StepOutput failed = null;
        for (int i = 0; i < in.steps().size(); i++) {
            Payloads.StepOutput out = step(in, in.steps().get(i), i, false, version);
            steps.addAll(out.results());
            if (out.failed()) {
                failed = out;
                break;
            }
        }
        if (failed == null) {
            return new Payloads.WorkflowResult(ExecutionStatus.SUCCEEDED.name(), steps, List.of(), actions, "", vars);
        }
        String error = failed.failedStep().isEmpty() ? failed.error()
                : "step '" + failed.failedStep() + "' failed: " + failed.error();
        vars.put("error_message", error);
        vars.put("failed_step", failed.failedStep());
        if (!OnFailure.ROLLBACK.name().equals(failed.onFailure()) || in.rollback().isEmpty()) {
            return new Payloads.WorkflowResult(ExecutionStatus.FAILED.name(), steps, List.of(), actions, error, vars);
        }
        var undo = new ArrayList<StepResult>();
        for (int i = 0; i < in.rollback().size(); i++) {
            Payloads.StepOutput out = step(in, in.rollback().get(i), i, true, version);
            undo.addAll(out.results());
            if (out.failed()) {
                error += "; rollback step '" + out.failedStep() + "' failed: " + out.error();
                vars.put("error_message", error);
                return new Payloads.WorkflowResult(ExecutionStatus.ROLLBACK_FAILED.name(), steps, undo, actions, error,
                        vars);
            }
        }
        return new Payloads.WorkflowResult(ExecutionStatus.ROLLED_BACK.name(), steps, undo, actions, error, vars);
    }

    private Payloads.StepOutput step(Payloads.WorkflowInput in, Payloads.StepPlan plan, int index, boolean rollback,
                                     int version) {
        if (plan.durableMillis() >= 0 && version >= 1) {
            return durableWait(plan, rollback);
        }
        var retry = RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
                .setMaximumAttempts(plan.retryable() ? WORKER_LOSS_ATTEMPTS : 1).build();
        StepActivities activity = Workflow.newActivityStub(StepActivities.class, ActivityOptions.newBuilder()
                .setTaskQueue(in.taskQueue()).setStartToCloseTimeout(Duration.ofMillis(plan.timeoutMillis()))
                .setRetryOptions(retry).build());
        Instant started = Instant.ofEpochMilli(Workflow.currentTimeMillis());
        Payloads.StepOutput out;
        try {
            out = activity.runStep(new Payloads.StepInput(in.executionId(), in.runbookId(), in.incident(), index,
                    rollback, Map.copyOf(vars), in.heldLocks()));
        } catch (ActivityFailure e) {
            // The step's own failures are results; this is the worker lost (or broken) while running it.
            String why = "no worker completed it: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                    + (plan.retryable() ? "" : " (it may change things, so it is not run again)");
            var start = new StepResult.Start(plan.name(), plan.action(), false, Map.of(), started);
            StepResult r = StepResult.failed(start, why, 1, Instant.ofEpochMilli(Workflow.currentTimeMillis()));
            return new Payloads.StepOutput(List.of(r), vars, List.of(), plan.name(), why, OnFailure.ROLLBACK.name());
        }
        actions.addAll(out.actionsTaken());
        vars = new HashMap<>(out.variables());
        return out;
    }

    private Payloads.StepOutput durableWait(Payloads.StepPlan plan, boolean rollback) {
        Duration d = Duration.ofMillis(plan.durableMillis());
        var start = new StepResult.Start(plan.name(), plan.action(), false, Map.of("duration", Durations.human(d)),
                Instant.ofEpochMilli(Workflow.currentTimeMillis()));
        Workflow.sleep(d);
        StepResult r = StepResult.succeeded(start, Optional.empty(), 1, List.of(), "waited " + Durations.human(d)
                + (rollback ? " (rollback)" : "") + " on a durable timer", Instant.ofEpochMilli(Workflow.currentTimeMillis()));
        return new Payloads.StepOutput(List.of(r), vars, List.of(), "", "", OnFailure.ROLLBACK.name());
    }
}
