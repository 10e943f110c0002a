package dev.runbook.core.match;

import dev.runbook.core.model.Runbook;
import java.util.List;
import java.util.Objects;

/**
 * Whether one runbook matched an incident and why, criterion by criterion.
 *
 * @param runbook  the runbook considered
 * @param matched  whether every criterion held
 * @param criteria each criterion checked, in trigger order
 */
public record RunbookMatch(Runbook runbook, boolean matched, List<CriterionResult> criteria) {
    public RunbookMatch {
        Objects.requireNonNull(runbook, "runbook");
        criteria = List.copyOf(criteria);
    }

    /** The criteria that failed, as one line ({@code min_confidence 0.80 > rca_confidence 0.72}). */
    public String why() {
        var failed = criteria.stream().filter(c -> !c.passed()).map(CriterionResult::detail).toList();
        if (failed.isEmpty()) {
            return "matched: " + String.join("; ", criteria.stream().map(CriterionResult::detail).toList());
        }
        return String.join("; ", failed);
    }
}
