package dev.runbook.temporal.internal;

import dev.runbook.core.internal.Durations;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** {@link ApprovalWorkflow}: the wait survives workers coming and going, the signal is kept in the history. */
public final class ApprovalWorkflowImpl implements ApprovalWorkflow {
    private Payloads.ApprovalAnswer answer;

    @Override
    public Payloads.ApprovalAnswer await(Payloads.ApprovalAsk ask) {
        Duration timeout = Duration.ofMillis(ask.timeoutMillis());
        boolean answered = Workflow.await(timeout, () -> answer != null);
        return answered ? answer : new Payloads.ApprovalAnswer(false, "engine",
                "no decision within " + Durations.human(timeout));
    }

    @Override
    public void decide(Payloads.ApprovalAnswer a) {
        if (answer == null) {
            answer = a;
        }
    }
}
