package dev.runbook.neo4j;

import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.match.OutcomeHistory;
import dev.runbook.core.match.Outcomes;
import dev.runbook.neo4j.internal.AuditRecords;
import dev.runbook.neo4j.internal.RecordQueries;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.neo4j.driver.Driver;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;

/**
 * Outcome-aware choice ({@code RunbookEngine.builder().ranking(Ranking.OUTCOME).outcomeHistory(history)}) over the
 * records {@link Neo4jAuditTrail} writes, so every replica sharing the database judges runbooks by the same record.
 * Counts, per runbook, the executions of the last {@link Builder#window} for the incident's root cause
 * ({@code root_cause}) and resource kind ({@code resource_kind}) that ran, and those that succeeded
 * ({@link ExecutionStatus#countsAsOutcome()}); records written before {@code resource_kind} was recorded are not
 * counted.
 *
 * <p>One read-only, parameterised query per question, for all the matching runbooks at once, and the engine asks
 * only when two or more runbooks match: an incident that matches nothing or one runbook costs no round trip.
 * Answers are cached ({@link Builder#cacheFor}, {@link Builder#cacheSize}), so a storm of one kind of incident
 * costs one read per ttl. Thread-safe.
 */
public final class Neo4jOutcomeHistory implements OutcomeHistory {
    /** Names the runbook id index: see {@link RecordQueries#OUTCOMES}. */
    private static final String QUERY = RecordQueries.OUTCOMES;
    private static final List<String> COUNTED = statuses(true);
    private static final List<String> SUCCEEDED = statuses(false);

    private final Driver driver;
    private final Optional<String> database;
    private final Duration window;
    private final Clock clock;
    private final Duration readTimeout;
    private final OutcomeHistory cached;

    private Neo4jOutcomeHistory(Builder b) {
        this.driver = b.driver;
        this.database = b.databaseName();
        this.window = b.window;
        this.clock = b.clock;
        this.readTimeout = b.readTimeout;
        this.cached = OutcomeHistory.cached(this::read, b.cacheFor, b.cacheSize, b.clock);
    }

    /** A builder; {@link Builder#driver} is required. */
    public static Builder builder() {
        return new Builder();
    }

    private static List<String> statuses(boolean counted) {
        return Arrays.stream(ExecutionStatus.values())
                .filter(s -> counted ? s.countsAsOutcome() : s.countsAsOutcome() && s.succeeded())
                .map(AuditRecords::status).toList();
    }

    @Override
    public Map<String, Outcomes> outcomes(List<String> runbookIds, String rootCauseReason, String resourceKind) {
        return cached.outcomes(runbookIds, rootCauseReason, resourceKind);
    }

    private Map<String, Outcomes> read(List<String> ids, String reason, String kind) {
        var sc = SessionConfig.builder().withDefaultAccessMode(AccessMode.READ);
        database.ifPresent(sc::withDatabase);
        var params = Map.<String, Object>of("ids", ids, "reason", reason, "kind", kind,
                "since", clock.instant().minus(window).atZone(ZoneOffset.UTC), "counted", COUNTED,
                "succeeded", SUCCEEDED);
        // One auto-commit read, never retried: the engine is choosing a runbook for an incident right now, and on
        // failure it keeps the trigger order rather than wait out the driver's managed retries.
        try (var session = driver.session(sc.build())) {
            var out = new HashMap<String, Outcomes>();
            session.run(QUERY, params, TransactionConfig.builder().withTimeout(readTimeout).build())
                    .forEachRemaining(r -> out.put(r.get("id").asString(),
                            new Outcomes(r.get("succeeded").asLong(), r.get("executions").asLong())));
            return Map.copyOf(out);
        }
    }

    /** Builds a {@link Neo4jOutcomeHistory}. */
    public static final class Builder extends ConnectionBuilder<Builder> {
        private Duration window = Duration.ofDays(90);
        private Duration cacheFor = Duration.ofMinutes(1);
        private int cacheSize = 1024;
        private Duration readTimeout = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }



        /** How far back executions count (default 90 days): a runbook's old record fades out. */
        public Builder window(Duration window) {
            this.window = positive(window, "window");
            return this;
        }

        /** How long one answer is reused (default 1 minute). */
        public Builder cacheFor(Duration ttl) {
            this.cacheFor = positive(ttl, "cacheFor");
            return this;
        }

        /** How many answers (root cause, kind and matching runbooks) are kept at most (default 1024). */
        public Builder cacheSize(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("cacheSize must be at least 1, got " + entries);
            }
            this.cacheSize = entries;
            return this;
        }

        /**
         * The server-side limit of one read (default 5 s); a read that fails is not retried and the engine keeps the
         * trigger order for that incident.
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /** The clock for the window and the cache (default system UTC; give the engine's). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the history.
         *
         * @throws IllegalStateException when no driver was given
         */
        public Neo4jOutcomeHistory build() {
            requireDriver("Neo4jOutcomeHistory");
            return new Neo4jOutcomeHistory(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
