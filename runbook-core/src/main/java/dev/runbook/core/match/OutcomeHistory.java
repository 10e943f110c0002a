package dev.runbook.core.match;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where {@link Ranking#OUTCOME} reads how runbooks fared before. The engine asks only when two or more runbooks
 * match an incident, once per incident, for all of them at once. Implementations: the in-memory
 * {@code dev.runbook.core.engine.InMemoryOutcomeHistory}, fed by the engine's executions, and runbook-neo4j's
 * {@code Neo4jOutcomeHistory} over the audit trail. Must be thread-safe.
 */
public interface OutcomeHistory {

    /**
     * The outcomes of these runbooks for incidents with this root-cause reason on a resource of this kind.
     *
     * @param runbookIds      the runbooks to compare
     * @param rootCauseReason the incident's root-cause reason ({@code OOMKilled})
     * @param resourceKind    the incident's resource kind ({@code Pod})
     * @return outcomes by runbook id; a runbook left out has none on record
     * @throws RuntimeException when the history cannot be read (the engine then keeps the trigger order)
     */
    Map<String, Outcomes> outcomes(List<String> runbookIds, String rootCauseReason, String resourceKind);

    /** No history: every runbook is new, so {@link Ranking#OUTCOME} keeps the trigger order. */
    static OutcomeHistory none() {
        return (ids, reason, kind) -> Map.of();
    }

    /**
     * This history behind a cache: an answer is reused for {@code ttl}, and at most {@code maxEntries} answers are
     * kept (the least recently used goes first), so an incident storm costs one read per root cause and kind per ttl.
     */
    static OutcomeHistory cached(OutcomeHistory history, Duration ttl, int maxEntries, Clock clock) {
        return new CachedOutcomeHistory(history, ttl, maxEntries, clock);
    }
}
