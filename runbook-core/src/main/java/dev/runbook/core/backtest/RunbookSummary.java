package dev.runbook.core.backtest;

import java.util.Map;
import java.util.Objects;

/**
 * One runbook's line of the backtest summary.
 *
 * @param runbookId    the runbook
 * @param matched      incidents it would have been chosen for
 * @param wouldRun     of those, incidents every replayed guard allowed
 * @param wouldDeny    of those, incidents a guard refused
 * @param deniedBy     refusals by guard id ({@code rate_limit}: 3), in guard order
 * @param recordedRuns incidents the audit says it actually ran for
 * @param differences  its incidents whose decision differs from the record
 */
public record RunbookSummary(String runbookId, long matched, long wouldRun, long wouldDeny, Map<String, Long> deniedBy,
                             long recordedRuns, long differences) {
    public RunbookSummary {
        Objects.requireNonNull(runbookId, "runbookId");
        deniedBy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(deniedBy));
    }
}
