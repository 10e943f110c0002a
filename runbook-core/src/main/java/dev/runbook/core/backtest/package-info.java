/**
 * Backtesting a runbook library on the incident history: {@link dev.runbook.core.backtest.Backtest} replays
 * historical incidents in event-time order on a simulated clock through the engine's own matching and guards, and
 * compares each decision with what the audit recorded. {@link dev.runbook.core.backtest.BacktestReport} renders the
 * result as a text table, JSON or a self-contained HTML page.
 */
package dev.runbook.core.backtest;
