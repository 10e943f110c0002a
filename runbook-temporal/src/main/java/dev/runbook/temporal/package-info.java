/**
 * Runbook's executions on Temporal: {@link dev.runbook.temporal.TemporalBackend} runs each approved plan as a
 * workflow, {@link dev.runbook.temporal.RunbookWorkers} runs its steps, and
 * {@link dev.runbook.temporal.TemporalApprovals} turns approvals into signals. Each attempt of a step's
 * {@code retry} is an activity, the backoff between them a durable timer; {@code engine.cancel} stops a workflow and
 * rolls it back; listeners hear of every step, durable waits included, as in-process.
 */
package dev.runbook.temporal;
