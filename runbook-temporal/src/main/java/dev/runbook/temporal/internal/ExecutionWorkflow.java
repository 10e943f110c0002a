package dev.runbook.temporal.internal;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One approved plan: its steps as activities, then on failure its rollback as compensation. */
@WorkflowInterface
public interface ExecutionWorkflow {
    /** Runs the plan. */
    @WorkflowMethod(name = "RunbookExecution")
    Payloads.WorkflowResult run(Payloads.WorkflowInput input);
}
