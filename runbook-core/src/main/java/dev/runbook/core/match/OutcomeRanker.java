package dev.runbook.core.match;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Ranking#OUTCOME}: orders the runbooks that match an incident by their record for the incident's root cause
 * and resource kind, best first, and says why in {@link MatchReport#choice()}.
 *
 * <p>A runbook's score is its success rate smoothed by a Beta(1, 1) prior, {@code (succeeded + 1) / (executions + 2)};
 * below {@code minExecutions} executions its record is not trusted yet and it scores the prior's mean, 1/2. So a new
 * runbook stays in play: it goes before a runbook that fails more often than not, never before a proven one, and a
 * single lucky or unlucky run does not decide. Equal scores keep the trigger order ({@link Ranking#SPECIFICITY}).
 * The history is read only when two or more runbooks match; when it cannot be read, the trigger order stands and
 * the report says so.
 */
public final class OutcomeRanker {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRanker.class);

    private final OutcomeHistory history;
    private final int minExecutions;

    /**
     * A ranker over this history.
     *
     * @param minExecutions executions a runbook needs before its own record counts (at least 1)
     */
    public OutcomeRanker(OutcomeHistory history, int minExecutions) {
        this.history = Objects.requireNonNull(history, "history");
        if (minExecutions < 1) {
            throw new IllegalArgumentException("minExecutions must be at least 1, got " + minExecutions);
        }
        this.minExecutions = minExecutions;
    }

    /** The report with its matches in outcome order and the reason in {@link MatchReport#choice()}; as is below two. */
    public MatchReport rank(MatchReport report) {
        List<Runbook> trigger = report.matchingRunbooks();
        if (trigger.size() < 2) {
            return report; // the no-match and single-match paths never read the history
        }
        Incident incident = report.incident();
        Map<String, Outcomes> known;
        try {
            known = history.outcomes(trigger.stream().map(Runbook::id).toList(), incident.rootCauseReason(),
                    incident.resource().kind());
        } catch (RuntimeException e) {
            LOG.warn("incident {}: outcome history unreadable, keeping the trigger order: {}", incident.incidentId(),
                    e.toString());
            return report.reordered(trigger, "outcome history unavailable (" + e.getMessage()
                    + "): the trigger order decided");
        }
        var order = new ArrayList<>(trigger);
        // List.sort is stable: equal scores keep the trigger order.
        order.sort(Comparator.comparing((Runbook r) -> score(known, r), OutcomeRanker::compareScores).reversed());
        Runbook chosen = order.get(0);
        Runbook other = chosen.equals(trigger.get(0)) ? order.get(1) : trigger.get(0);
        Outcomes a = outcomes(known, chosen);
        Outcomes b = outcomes(known, other);
        boolean tie = compareScores(score(known, chosen), score(known, other)) == 0;
        var note = new StringBuilder("chosen over ").append(other.id())
                .append(tie ? " by trigger order, records tie: " : ": ")
                .append(a).append(" succeeded vs ").append(b);
        List<String> young = java.util.stream.Stream.of(chosen, other)
                .filter(r -> outcomes(known, r).executions() < minExecutions).map(Runbook::id).toList();
        if (!young.isEmpty()) {
            note.append(" (").append(String.join(" and ", young)).append(young.size() == 1 ? " has" : " have")
                    .append(" under ").append(minExecutions).append(" executions: scored as new, 1/2)");
        }
        return report.reordered(order, note.toString());
    }

    private static Outcomes outcomes(Map<String, Outcomes> known, Runbook r) {
        return known.getOrDefault(r.id(), Outcomes.NONE);
    }

    /** The smoothed rate as a fraction {numerator, denominator}, compared exactly. */
    private long[] score(Map<String, Outcomes> known, Runbook r) {
        Outcomes o = outcomes(known, r);
        return o.executions() < minExecutions ? new long[] {1, 2} : new long[] {o.succeeded() + 1, o.executions() + 2};
    }

    private static int compareScores(long[] x, long[] y) {
        return Long.compare(x[0] * y[1], y[0] * x[1]);
    }
}
