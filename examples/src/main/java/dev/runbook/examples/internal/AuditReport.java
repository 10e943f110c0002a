package dev.runbook.examples.internal;

import dev.runbook.neo4j.AuditQueries;
import dev.runbook.neo4j.RemediationStats;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.neo4j.driver.Driver;

/**
 * The demo's audit chapter, read back from Neo4j: one line per execution of the demo's incidents, then
 * {@link AuditQueries}' statistics per runbook and per root cause.
 */
public final class AuditReport {
    private final Consumer<String> out;

    /** Prints through {@code out}, one line per call. */
    public AuditReport(Consumer<String> out) {
        this.out = out;
    }

    /** Prints the executions recorded for {@code incidentIds}, in the order they ran, and the statistics. */
    public void print(Driver driver, List<String> incidentIds) {
        line("");
        line("Audit trail in Neo4j (:RunbookExecution nodes, with guard decisions and steps as child nodes):");
        try (var session = driver.session()) {
            session.run("""
                    MATCH (e:RunbookExecution)-[:FOR_INCIDENT]->(i:Episodic)
                    WHERE i.eid IN $ids
                    OPTIONAL MATCH (e)-[:HAS_STEP]->(s:RunbookStep)
                    WITH e, i, count(s) AS steps
                    OPTIONAL MATCH (e)-[:GUARD_DECISION]->(g:RunbookGuardDecision {allowed: false})
                    RETURN i.eid AS incident, e.runbook_id AS runbook, e.status AS status, e.executed_by AS by,
                           e.rollback_status AS rollback, e.duration_ms AS ms, steps, g.reason AS denied
                    ORDER BY e.executed_at
                    """, Map.of("ids", incidentIds)).list().forEach(r -> line(String.format(Locale.ROOT,
                    "  %-28s %-30s %-12s rollback %-9s %3d step(s) %6d ms by %s%s", r.get("incident").asString(),
                    r.get("runbook").asString(), r.get("status").asString(), r.get("rollback").asString("none"),
                    r.get("steps").asInt(), r.get("ms").asLong(0), r.get("by").asString(""),
                    r.get("denied").isNull() ? "" : " - denied: " + r.get("denied").asString())));
        }
        line("AuditQueries.perRunbook():");
        new AuditQueries(driver).perRunbook().forEach(this::stats);
        line("AuditQueries.perRootCause():");
        new AuditQueries(driver).perRootCause().forEach(this::stats);
    }

    private void stats(RemediationStats s) {
        line(String.format(Locale.ROOT, "  %-30s ran %d, succeeded %d, denied %d, success rate %.0f%%, mean duration %s, "
                        + "mean time to remediation %s", s.key(), s.executions(), s.succeeded(), s.denied(),
                s.successRate() * 100, s.meanDuration().map(AuditReport::human).orElse("-"),
                s.meanTimeToRemediation().map(AuditReport::human).orElse("-")));
    }

    private static String human(Duration d) {
        return d.toMillis() < 60_000 ? String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0)
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    private void line(String text) {
        out.accept(text);
    }
}
