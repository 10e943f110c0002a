package dev.runbook.neo4j;

import dev.runbook.neo4j.internal.RecordQueries;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Value;

/**
 * Reports over the graph {@link Neo4jAuditTrail} writes: success rate, mean duration and mean time to
 * remediation ({@code executed_at} minus the incident's event time, over succeeded executions) per runbook and
 * per root cause. Plans ({@code dry_run_only}) and unmatched incidents are left out; denied executions are
 * counted apart. Read-only, parameterised.
 */
public final class AuditQueries {
    private static final List<String> RAN = List.of("succeeded", "failed", "rolled_back", "rollback_failed", "cancelled");
    /** Scans every execution by design: see {@link RecordQueries#STATS}. */
    private static final String STATS = RecordQueries.STATS;
    private final Driver driver;
    private final Optional<String> database;

    /** Queries on the server's default database. */
    public AuditQueries(Driver driver) {
        this(driver, Optional.empty());
    }

    /** Queries on this database. */
    public AuditQueries(Driver driver, String database) {
        this(driver, Optional.of(database));
    }

    private AuditQueries(Driver driver, Optional<String> database) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.database = database;
    }

    /** Per runbook id, over everything recorded. */
    public List<RemediationStats> perRunbook() {
        return perRunbook(Instant.EPOCH);
    }

    /** Per runbook id, over executions started at or after {@code since}. */
    public List<RemediationStats> perRunbook(Instant since) {
        return stats("e.runbook_id", since);
    }

    /** Per root-cause reason, over everything recorded. */
    public List<RemediationStats> perRootCause() {
        return perRootCause(Instant.EPOCH);
    }

    /** Per root-cause reason, over executions started at or after {@code since}. */
    public List<RemediationStats> perRootCause(Instant since) {
        return stats("coalesce(e.root_cause, '')", since);
    }

    private List<RemediationStats> stats(String keyExpression, Instant since) {
        var sc = SessionConfig.builder();
        database.ifPresent(sc::withDatabase);
        try (var session = driver.session(sc.build())) {
            return session.executeRead(tx -> tx.run(STATS.formatted(keyExpression),
                            Map.of("since", since.atZone(ZoneOffset.UTC), "ran", RAN))
                    .list(r -> {
                        long ran = r.get("ran").asLong();
                        long ok = r.get("succeeded").asLong();
                        return new RemediationStats(r.get("key").asString(), ran, ok, r.get("denied").asLong(),
                                ran == 0 ? 0.0 : (double) ok / ran, millis(r.get("mean_duration_ms")),
                                millis(r.get("mttr_ms")));
                    }));
        }
    }

    private static Optional<Duration> millis(Value v) {
        return v.isNull() ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(v.asDouble())));
    }
}
