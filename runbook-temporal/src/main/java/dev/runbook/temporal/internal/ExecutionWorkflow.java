package dev.runbook.temporal.internal;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One approved plan: its steps as activities, then on failure its rollback as compensation. */
@WorkflowInterface
public interface ExecutionWorkflow {
    /** Runs the plan. */
    @WorkflowMethod(name = "RunbookExecution")
    Payloads.WorkflowResult run(Payloads.WorkflowInput input);

    /**
     * Stops the plan as the engine's cancel does: the running step ends, no further step starts, the rollback runs.
     * A signal rather than Temporal's own cancellation, because the SDK reports a workflow asked to cancel as
     * cancelled whatever it returns, and the engine's record (steps, rollback) would be lost with its result.
     */
    @SignalMethod(name = "cancel")
    void cancel();
}
