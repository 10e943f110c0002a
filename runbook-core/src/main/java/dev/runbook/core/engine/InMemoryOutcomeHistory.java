package dev.runbook.core.engine;

import dev.runbook.core.match.OutcomeHistory;
import dev.runbook.core.match.Outcomes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link OutcomeHistory} in memory, fed by the engine's executions: register it both as the engine's
 * {@code outcomeHistory} and as a {@code listener}. It survives nothing and knows only this engine's executions;
 * replicas share a record through runbook-neo4j's {@code Neo4jOutcomeHistory}. Thread-safe.
 *
 * <p>An execution counts when it ran: a success when the remediation was applied, a failure when it failed, was
 * rolled back (by a step's failure or a recovery) or abandoned. Refusals, plans, cancellations and misses do not
 * count.
 */
public final class InMemoryOutcomeHistory implements OutcomeHistory, ExecutionListener {
    private record Key(String runbookId, String reason, String kind) {
    }

    private final Map<Key, long[]> counts = new ConcurrentHashMap<>();

    /** An empty history. */
    public InMemoryOutcomeHistory() {
        // nothing recorded yet
    }

    /** Records one execution of {@code runbookId} for this root cause and resource kind (to seed a history). */
    public void record(String runbookId, String rootCauseReason, String resourceKind, boolean succeeded) {
        var key = new Key(Objects.requireNonNull(runbookId, "runbookId"),
                Objects.requireNonNull(rootCauseReason, "rootCauseReason"),
                Objects.requireNonNull(resourceKind, "resourceKind"));
        counts.compute(key, (k, c) -> {
            long[] n = c == null ? new long[2] : c.clone();
            n[0] += succeeded ? 1 : 0;
            n[1]++;
            return n;
        });
    }

    @Override
    public void executionFinished(Execution execution) {
        if (execution.status().countsAsOutcome()) {
            record(execution.runbookId(), execution.incident().rootCauseReason(),
                    execution.incident().resource().kind(), execution.status().succeeded());
        }
    }

    @Override
    public Map<String, Outcomes> outcomes(List<String> runbookIds, String rootCauseReason, String resourceKind) {
        var out = new HashMap<String, Outcomes>();
        for (String id : runbookIds) {
            long[] c = counts.get(new Key(id, rootCauseReason, resourceKind));
            if (c != null) {
                out.put(id, new Outcomes(c[0], c[1]));
            }
        }
        return Map.copyOf(out);
    }
}
