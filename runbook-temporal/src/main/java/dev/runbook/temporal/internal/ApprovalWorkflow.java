package dev.runbook.temporal.internal;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Waits, on a durable timer, for one execution's approval to arrive as a signal. */
@WorkflowInterface
public interface ApprovalWorkflow {
    /** The answer, or a denial when none came in time. */
    @WorkflowMethod(name = "RunbookApproval")
    Payloads.ApprovalAnswer await(Payloads.ApprovalAsk ask);

    /** The approver's answer; the first one counts. */
    @SignalMethod(name = "decide")
    void decide(Payloads.ApprovalAnswer answer);
}
