package dev.runbook.core.backtest;

/** What the engine would have done with a historical incident. */
public enum BacktestOutcome {
    /** A runbook matched and every replayed guard allowed it. */
    WOULD_RUN,
    /** A runbook matched and a guard refused it. */
    WOULD_DENY,
    /** No runbook matched. */
    NO_MATCH
}
