package dev.runbook.dashboard;

import java.util.List;

/**
 * Where the runbooks page gets its figures: {@link AuditStats} over a Neo4j audit trail, or, by default, the
 * executions the {@link DashboardFeed} has seen. Implementations are called on request threads.
 */
public interface StatsSource {

    /** What the figures are computed from, shown under the charts ({@code Neo4j audit trail}). */
    String description();

    /** Figures per runbook, by runbook id. */
    List<Figures> perRunbook();

    /** Figures per root-cause reason. */
    List<Figures> perRootCause();
}
