package dev.runbook.dashboard;

import dev.runbook.neo4j.AuditQueries;
import dev.runbook.neo4j.RemediationStats;
import java.util.List;
import java.util.Objects;

/**
 * Figures from a Neo4j audit trail ({@link AuditQueries}), over every execution it recorded. The only class of
 * the dashboard that needs runbook-neo4j, an optional dependency: a host using it has that module already.
 */
public final class AuditStats implements StatsSource {
    private final AuditQueries queries;

    /** Figures from these queries. */
    public AuditStats(AuditQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    @Override
    public String description() {
        return "Neo4j audit trail";
    }

    @Override
    public List<Figures> perRunbook() {
        return queries.perRunbook().stream().map(AuditStats::figures).toList();
    }

    @Override
    public List<Figures> perRootCause() {
        return queries.perRootCause().stream().map(AuditStats::figures).toList();
    }

    private static Figures figures(RemediationStats s) {
        return new Figures(s.key(), s.executions(), s.succeeded(), s.denied(), s.successRate(), s.meanDuration(),
                s.meanTimeToRemediation());
    }
}
