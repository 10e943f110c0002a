/** Internal: the simulated clock and the report renderers of the backtest. Not part of the public API. */
package dev.runbook.core.backtest.internal;
