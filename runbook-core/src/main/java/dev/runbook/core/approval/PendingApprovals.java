package dev.runbook.core.approval;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ApprovalGateway} that keeps requests until someone answers them through {@link #approve} or
 * {@link #deny}: the building block for Slack callbacks, an HTTP endpoint or an MCP tool.
 */
public final class PendingApprovals implements ApprovalGateway {
    private record Pending(ApprovalRequest request, CompletableFuture<ApprovalDecision> future) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    public PendingApprovals(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<ApprovalDecision> requestApproval(ApprovalRequest request) {
        var future = new CompletableFuture<ApprovalDecision>();
        pending.put(request.executionId(), new Pending(request, future));
        // Forget the request whatever completes it (an answer, or the engine's timeout).
        future.whenComplete((d, e) -> pending.remove(request.executionId()));
        return future;
    }

    /** Requests waiting for an answer. */
    public List<ApprovalRequest> waiting() {
        return pending.values().stream().map(Pending::request).toList();
    }

    /** The waiting request of this execution. */
    public Optional<ApprovalRequest> find(String executionId) {
        return Optional.ofNullable(pending.get(executionId)).map(Pending::request);
    }

    /** Approves a waiting request; false if none waits under that id. */
    public boolean approve(String executionId, String approver, String reason) {
        return answer(executionId, ApprovalDecision.approve(approver, reason, clock.instant()));
    }

    /** Denies a waiting request; false if none waits under that id. */
    public boolean deny(String executionId, String approver, String reason) {
        return answer(executionId, ApprovalDecision.deny(approver, reason, clock.instant()));
    }

    private boolean answer(String executionId, ApprovalDecision decision) {
        Pending p = pending.get(executionId);
        return p != null && p.future().complete(decision);
    }
}
