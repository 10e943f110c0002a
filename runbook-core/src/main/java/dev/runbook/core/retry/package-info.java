/**
 * The one backoff policy of the project: {@link dev.runbook.core.retry.Backoff} (exponential, equal jitter,
 * a cap, a server's {@code Retry-After} honoured up to the cap) and {@link dev.runbook.core.retry.RetryAfter},
 * the parser of that header. Every retry loop (step retries, webhook and Slack calls, Kubernetes evictions and
 * conflicts, the Neo4j audit writer and guard store) computes its waits here; the loops sleep on their own
 * injected sleeper and clock.
 */
package dev.runbook.core.retry;
