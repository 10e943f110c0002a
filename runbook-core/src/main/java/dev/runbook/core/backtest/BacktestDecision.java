package dev.runbook.core.backtest;

import dev.runbook.core.guard.GuardDecision;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The backtest's verdict on one historical incident. Every text that comes from the incident (ids, reasons, resource
 * names) is untrusted: the report renderers escape it.
 *
 * @param incidentId       the incident
 * @param eventTime        when it happened (the simulated clock's time for its decision)
 * @param symptomReason    its symptom reason
 * @param rootCauseReason  its root-cause reason
 * @param rcaConfidence    the root cause's confidence
 * @param resourceKey      its resource ({@code Kind/namespace/name})
 * @param outcome          what the engine would have done
 * @param runbookId        the runbook it would have chosen (empty for {@link BacktestOutcome#NO_MATCH})
 * @param matchExplanation why that runbook matched, or why each runbook did not
 * @param guardDecisions   every replayed guard's decision, in order
 * @param denial           the refusing guard's decision, for {@link BacktestOutcome#WOULD_DENY}
 * @param recorded         what the audit recorded for the incident
 * @param comparison       how the decision compares with the record
 * @param difference       how they differ, for {@link Comparison#DIFFERENT}
 */
public record BacktestDecision(String incidentId, Instant eventTime, String symptomReason, String rootCauseReason,
                               double rcaConfidence, String resourceKey, BacktestOutcome outcome,
                               Optional<String> runbookId, String matchExplanation, List<GuardDecision> guardDecisions,
                               Optional<GuardDecision> denial, List<RecordedExecution> recorded, Comparison comparison,
                               Optional<String> difference) {
    public BacktestDecision {
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(symptomReason, "symptomReason");
        Objects.requireNonNull(rootCauseReason, "rootCauseReason");
        Objects.requireNonNull(resourceKey, "resourceKey");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(runbookId, "runbookId");
        Objects.requireNonNull(matchExplanation, "matchExplanation");
        guardDecisions = List.copyOf(guardDecisions);
        Objects.requireNonNull(denial, "denial");
        recorded = List.copyOf(recorded);
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(difference, "difference");
    }

    /** The guard that would have refused it ({@code rate_limit}, {@code dedupe}, ...), when one would. */
    public Optional<String> deniedBy() {
        return denial.map(GuardDecision::guard);
    }
}
