package dev.runbook.core.match;

import java.util.Objects;

/**
 * One trigger criterion checked against an incident, with the values compared, for instance
 * {@code min_confidence: failed (min_confidence 0.80 > rca_confidence 0.72)}.
 *
 * @param criterion the trigger field ({@code root_cause_reason}, {@code min_confidence}, ...)
 * @param passed    whether it held
 * @param detail    the comparison in words
 */
public record CriterionResult(String criterion, boolean passed, String detail) {
    public CriterionResult {
        Objects.requireNonNull(criterion, "criterion");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return criterion + ": " + (passed ? "ok" : "failed") + " (" + detail + ")";
    }
}
