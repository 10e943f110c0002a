package dev.runbook.core.backtest;

/** How a backtest decision compares with what the audit recorded for the incident. */
public enum Comparison {
    /** The audit holds nothing for the incident. */
    NOT_RECORDED,
    /** The same outcome: the same runbook ran, or it was denied by the same guard, or nothing matched both times. */
    SAME,
    /** A different outcome; {@link BacktestDecision#difference()} says how. */
    DIFFERENT
}
