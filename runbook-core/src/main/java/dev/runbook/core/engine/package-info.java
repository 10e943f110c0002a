/**
 * The engine a host embeds: {@link dev.runbook.core.engine.RunbookEngine}, the
 * {@link dev.runbook.core.engine.Execution} record it produces and the
 * {@link dev.runbook.core.engine.ExecutionListener} SPI for audit and metrics.
 */
package dev.runbook.core.engine;
