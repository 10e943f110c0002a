/**
 * Runbook's executions on Temporal: {@link dev.runbook.temporal.TemporalBackend} runs each approved plan as a
 * workflow, {@link dev.runbook.temporal.RunbookWorkers} runs its steps, and
 * {@link dev.runbook.temporal.TemporalApprovals} turns approvals into signals.
 */
package dev.runbook.temporal;
