package dev.runbook.core.engine.internal;

import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.OutcomeRanker;
import java.util.Optional;

/**
 * How the engine picks among matching runbooks and how far it escalates.
 *
 * @param ranker             the outcome ranker, when the engine ranks by outcome
 * @param maxEscalationDepth how many times one incident may be handed on ({@code on_failure: escalate})
 */
public record Selection(Optional<OutcomeRanker> ranker, int maxEscalationDepth) {

    /** The trigger order and the default depth. */
    public static Selection byTrigger(int maxEscalationDepth) {
        return new Selection(Optional.empty(), maxEscalationDepth);
    }

    /** The report in the engine's order (the history is read only when two or more runbooks match). */
    public MatchReport rank(MatchReport report) {
        return ranker.map(r -> r.rank(report)).orElse(report);
    }
}
