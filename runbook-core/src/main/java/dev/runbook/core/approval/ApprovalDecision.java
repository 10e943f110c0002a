package dev.runbook.core.approval;

import java.time.Instant;
import java.util.Objects;

/**
 * Who approved or denied, when and why; recorded with the execution.
 *
 * @param approved  the decision
 * @param approver  who decided ({@code alice@example.com}, {@code policy:auto-approve-high-confidence})
 * @param reason    why
 * @param decidedAt when
 */
public record ApprovalDecision(boolean approved, String approver, String reason, Instant decidedAt) {
    public ApprovalDecision {
        Objects.requireNonNull(approver, "approver");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(decidedAt, "decidedAt");
    }

    /** An approval. */
    public static ApprovalDecision approve(String approver, String reason, Instant at) {
        return new ApprovalDecision(true, approver, reason, at);
    }

    /** A denial. */
    public static ApprovalDecision deny(String approver, String reason, Instant at) {
        return new ApprovalDecision(false, approver, reason, at);
    }
}
