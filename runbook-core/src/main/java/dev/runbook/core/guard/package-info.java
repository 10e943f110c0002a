/**
 * Guardrails: {@link dev.runbook.core.guard.GuardDecision}s that carry their reason, and the
 * {@link dev.runbook.core.guard.GuardStore} SPI that holds rate-limit counters, spacings and locks exactly
 * under concurrency.
 */
package dev.runbook.core.guard;
