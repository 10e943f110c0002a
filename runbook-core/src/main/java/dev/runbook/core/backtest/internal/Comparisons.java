package dev.runbook.core.backtest.internal;

import dev.runbook.core.backtest.BacktestOutcome;
import dev.runbook.core.backtest.Comparison;
import dev.runbook.core.backtest.RecordedExecution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.guard.GuardDecision;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A backtest decision against the audit's record of the incident. */
public final class Comparisons {
    private Comparisons() {
    }

    /**
     * The comparison and, when different, how.
     *
     * @param comparison how they compare
     * @param difference the difference in words
     */
    public record Result(Comparison comparison, Optional<String> difference) {
    }

    /**
     * Compares with the record that counts: the execution that ran, when one did (the last one), else the last
     * recorded.
     */
    public static Result compare(BacktestOutcome outcome, Optional<String> runbook, Optional<GuardDecision> denial,
                                 List<RecordedExecution> recorded) {
        if (recorded.isEmpty()) {
            return new Result(Comparison.NOT_RECORDED, Optional.empty());
        }
        RecordedExecution actual = recorded.stream().filter(RecordedExecution::ran)
                .max(Comparator.comparing(RecordedExecution::executedAt))
                .orElseGet(() -> recorded.stream().max(Comparator.comparing(RecordedExecution::executedAt)).get());
        String would = switch (outcome) {
            case WOULD_RUN -> "would run " + runbook.orElse("");
            case WOULD_DENY -> "would be denied by " + denial.map(GuardDecision::guard).orElse("?") + " ("
                    + runbook.orElse("") + ")";
            case NO_MATCH -> "would match no runbook";
        };
        String was;
        boolean same;
        if (actual.ran()) {
            was = "ran " + actual.runbookId() + " (" + status(actual.status()) + ")";
            same = outcome == BacktestOutcome.WOULD_RUN && runbook.map(actual.runbookId()::equals).orElse(false);
        } else if (actual.status() == ExecutionStatus.DENIED) {
            String guard = actual.deniedBy().orElse("?");
            was = "was denied by " + guard + " (" + actual.runbookId() + ")";
            same = outcome == BacktestOutcome.WOULD_DENY && denial.map(d -> d.guard().equals(guard)).orElse(false);
        } else {
            was = "matched no runbook";
            same = outcome == BacktestOutcome.NO_MATCH;
        }
        return same ? new Result(Comparison.SAME, Optional.empty())
                : new Result(Comparison.DIFFERENT, Optional.of(would + ", " + was));
    }

    private static String status(ExecutionStatus s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }
}
