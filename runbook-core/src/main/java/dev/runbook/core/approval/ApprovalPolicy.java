package dev.runbook.core.approval;

import java.time.Clock;
import java.util.Optional;

/**
 * Decides some approvals without asking anyone, for instance "auto-approve when the RCA confidence is at
 * least 0.95 and the plan touches one resource". An empty answer asks the {@link ApprovalGateway}.
 */
@FunctionalInterface
public interface ApprovalPolicy {

    /** A decision, or empty to ask the gateway. */
    Optional<ApprovalDecision> decide(ApprovalRequest request);

    /** Never decides. */
    static ApprovalPolicy askAlways() {
        return request -> Optional.empty();
    }

    /**
     * Approves, as {@code policy:auto-approve}, when the confidence is at least {@code minConfidence} and the
     * plan touches at most {@code maxBlastRadius} distinct resources.
     */
    static ApprovalPolicy autoApproveWhen(double minConfidence, int maxBlastRadius, Clock clock) {
        return request -> {
            double c = request.incident().rcaConfidence();
            long radius = request.blastRadius();
            if (c >= minConfidence && radius <= maxBlastRadius) {
                return Optional.of(ApprovalDecision.approve("policy:auto-approve",
                        String.format(java.util.Locale.ROOT, "rca_confidence %.2f >= %.2f and blast radius %d <= %d",
                                c, minConfidence, radius, maxBlastRadius), clock.instant()));
            }
            return Optional.empty();
        };
    }
}
