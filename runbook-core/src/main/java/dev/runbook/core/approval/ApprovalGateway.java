package dev.runbook.core.approval;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asks for approval of an execution, asynchronously: a Slack button, a ticket, an MCP client. The engine
 * waits for the answer up to its approval timeout; no answer in time is a denial.
 */
public interface ApprovalGateway {

    /** Asks; the stage completes with the decision. */
    CompletionStage<ApprovalDecision> requestApproval(ApprovalRequest request);

    /** Denies everything: the default, so that {@code require_approval: true} never runs unattended by accident. */
    static ApprovalGateway denyAll(Clock clock) {
        return request -> CompletableFuture.completedFuture(ApprovalDecision.deny("engine",
                "no approval gateway is configured; register one with RunbookEngine.builder().approvalGateway(...)",
                clock.instant()));
    }

    /** Approves everything in the name of {@code approver}; for tests and trusted environments. */
    static ApprovalGateway approveAll(String approver, Clock clock) {
        return request -> CompletableFuture.completedFuture(
                ApprovalDecision.approve(approver, "approve-all gateway", clock.instant()));
    }
}
