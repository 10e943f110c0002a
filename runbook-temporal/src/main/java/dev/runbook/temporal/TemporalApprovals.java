package dev.runbook.temporal;

import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.model.Incident;
import dev.runbook.temporal.internal.ApprovalWorkflow;
import dev.runbook.temporal.internal.Payloads;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Approvals as Temporal signals: each request starts a workflow {@code approval-<executionId>} that waits, on a
 * durable timer, for {@link #approve} or {@link #deny} (from any process with a client), so a pending approval
 * outlives worker restarts. The engine's approval policy still decides whether to ask; set the engine's
 * {@code approvalTimeout} at least as long as this one's.
 */
public final class TemporalApprovals implements ApprovalGateway {
    private final WorkflowClient client;
    private final Function<Incident, String> taskQueues;
    private final Duration timeout;
    private final Clock clock;

    /**
     * Approvals waiting up to {@code timeout} on the queue {@code taskQueues} gives the incident.
     *
     * @param client     the Temporal client
     * @param taskQueues the same choice as the {@link TemporalBackend}'s ({@link TaskQueues#perCluster()})
     * @param timeout    how long an approval may wait; no answer by then is a denial
     * @param clock      stamps the decisions
     */
    public TemporalApprovals(WorkflowClient client, Function<Incident, String> taskQueues, Duration timeout, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.taskQueues = Objects.requireNonNull(taskQueues, "taskQueues");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("approval timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The workflow id of the approval of {@code executionId}. */
    public static String workflowId(String executionId) {
        return "approval-" + executionId;
    }

    @Override
    public CompletionStage<ApprovalDecision> requestApproval(ApprovalRequest request) {
        ApprovalWorkflow wf = client.newWorkflowStub(ApprovalWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId(request.executionId())).setTaskQueue(taskQueues.apply(request.incident()))
                .build());
        WorkflowClient.start(wf::await, new Payloads.ApprovalAsk(request.executionId(), timeout.toMillis()));
        return WorkflowStub.fromTyped(wf).getResultAsync(Payloads.ApprovalAnswer.class).thenApply(a -> a.approved()
                ? ApprovalDecision.approve(a.approver(), a.reason(), clock.instant())
                : ApprovalDecision.deny(a.approver(), a.reason(), clock.instant()));
    }

    /** Approves the pending execution {@code executionId} in the name of {@code approver}. */
    public void approve(String executionId, String approver, String reason) {
        signal(executionId, new Payloads.ApprovalAnswer(true, approver, reason));
    }

    /** Denies the pending execution {@code executionId} in the name of {@code approver}. */
    public void deny(String executionId, String approver, String reason) {
        signal(executionId, new Payloads.ApprovalAnswer(false, approver, reason));
    }

    private void signal(String executionId, Payloads.ApprovalAnswer answer) {
        Objects.requireNonNull(answer.approver(), "approver");
        client.newWorkflowStub(ApprovalWorkflow.class, workflowId(executionId)).decide(answer);
    }
}
