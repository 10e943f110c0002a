package dev.runbook.neo4j.internal;

/**
 * The read statements over the execution records ({@code :RunbookExecution}) behind {@code AuditQueries} and
 * {@code Neo4jOutcomeHistory}, kept here so their plans can be checked next to the writers' statements.
 */
public final class RecordQueries {
    /**
     * Success rate, durations and time to remediation grouped by {@code %s} (a key expression over {@code e}), from
     * {@code $since} on. Parameters: {@code since} (datetime), {@code ran} (the statuses that ran).
     *
     * <p>Scans every execution by design: a report over all of them (run by hand, not on an execution's path), and
     * an index on {@code executed_at} only for it would cost every execution written an index entry.
     */
    public static final String STATS = """
            MATCH (e:RunbookExecution)
            WHERE e.executed_at >= $since AND NOT e.status IN ['no_match', 'planned', 'running']
            WITH %s AS key, e
            RETURN key,
                   sum(CASE WHEN e.status IN $ran THEN 1 ELSE 0 END) AS ran,
                   sum(CASE WHEN e.status = 'succeeded' THEN 1 ELSE 0 END) AS succeeded,
                   sum(CASE WHEN e.status = 'denied' THEN 1 ELSE 0 END) AS denied,
                   avg(CASE WHEN e.status IN $ran THEN e.duration_ms END) AS mean_duration_ms,
                   avg(CASE WHEN e.status = 'succeeded' AND e.incident_event_time IS NOT NULL
                       THEN e.executed_at.epochMillis - e.incident_event_time.epochMillis END) AS mttr_ms
            ORDER BY key
            """;

    /**
     * Per runbook of {@code $ids}, the executions since {@code $since} for one root cause and resource kind whose
     * status is in {@code $counted}, and of those the ones in {@code $succeeded}.
     *
     * <p>Names the runbook id index (the audit trail and the journal create it): left to itself, the planner may
     * seek the journal's {@code status} index instead, which finds nearly every execution (most succeeded) - it did
     * so on a grown graph for a short status list. Where neither created the index (no schema rights), Neo4j runs
     * the query without the hint and reports {@code HintedIndexNotFound} as a warning, not an error.
     */
    public static final String OUTCOMES = """
            MATCH (e:RunbookExecution) USING INDEX e:RunbookExecution(runbook_id)
            WHERE e.runbook_id IN $ids AND e.root_cause = $reason AND e.resource_kind = $kind
              AND e.executed_at >= $since AND e.status IN $counted
            RETURN e.runbook_id AS id, count(e) AS executions,
                   sum(CASE WHEN e.status IN $succeeded THEN 1 ELSE 0 END) AS succeeded
            """;

    private RecordQueries() {
    }
}
