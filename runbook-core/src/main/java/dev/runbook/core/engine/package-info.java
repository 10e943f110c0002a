/**
 * The engine a host embeds: {@link dev.runbook.core.engine.RunbookEngine}, the
 * {@link dev.runbook.core.engine.Execution} record it produces, the
 * {@link dev.runbook.core.engine.ExecutionListener} SPI for audit and metrics, and the
 * {@link dev.runbook.core.engine.ExecutionJournal} SPI that records running executions ahead of every change so
 * that {@link dev.runbook.core.engine.RunbookEngine#recover()} can resolve what a dead host left half done.
 */
package dev.runbook.core.engine;
