package dev.runbook.neo4j;

import static dev.runbook.neo4j.internal.Cypher.quote;

import dev.runbook.core.backtest.HistoricalIncident;
import dev.runbook.core.backtest.RecordedExecution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.model.Incident;
import dev.runbook.neo4j.internal.IncidentQuery;
import dev.runbook.neo4j.internal.Values;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RCA graph's incident history for a {@link dev.runbook.core.backtest.Backtest}: every symptom event since an
 * instant, oldest first, each loaded as {@link Neo4jIncidentLoader} loads it and paired with the executions
 * {@link Neo4jAuditTrail} recorded for it ({@code (:RunbookExecution)-[:FOR_INCIDENT]->(:Episodic)}; plans are
 * left out).
 *
 * <p>An incident is an {@code Episodic} event with a {@code datetime} event time at or after the instant, a resource
 * it is {@code ABOUT} and at least one {@code POTENTIAL_CAUSE} pointing at it (an event the RCA explained). Ties in
 * event time are ordered by event id. Events whose time is not a {@code datetime} are not selected.
 *
 * <p>{@link #since} streams: it reads {@link Builder#pageSize} events at a time (keyset paging on event time and
 * id), one read transaction per page, so a long history is never held in memory. Every value travels as a query
 * parameter. Thread-safe; each stream is for one thread.
 */
public final class Neo4jIncidentHistory {
    private static final Logger LOG = LoggerFactory.getLogger(Neo4jIncidentHistory.class);

    private final Driver driver;
    private final Optional<String> database;
    private final int pageSize;
    private final boolean audit;
    private final IncidentQuery incidentQuery;
    private final String pageQuery;
    private final String auditQuery;

    private Neo4jIncidentHistory(Builder b) {
        this.driver = b.driver;
        this.database = b.databaseName();
        this.pageSize = b.pageSize;
        this.audit = b.audit;
        GraphSchema s = b.schema;
        this.incidentQuery = new IncidentQuery(s);
        String ep = quote(s.episodicLabel());
        String eid = quote(s.eventIdProperty());
        String time = quote(s.eventTimeProperty());
        this.pageQuery = "MATCH (e:" + ep + ")\n"
                + "WHERE e." + time + " >= $since AND ($until IS NULL OR e." + time + " < $until)\n"
                + "  AND ($after_id IS NULL OR e." + time + " > $after_time\n"
                + "       OR (e." + time + " = $after_time AND e." + eid + " > $after_id))\n"
                + "  AND EXISTS { (e)-[:" + quote(s.aboutRelationship()) + "]->(:" + quote(s.resourceLabel()) + ") }\n"
                + "  AND EXISTS { (:" + ep + ")-[:" + quote(s.causeRelationship()) + "]->(e) }\n"
                + "RETURN e." + eid + " AS eid, e." + time + " AS event_time\n"
                + "ORDER BY e." + time + ", e." + eid + "\n"
                + "LIMIT $page";
        this.auditQuery = "UNWIND $ids AS id\n"
                + "MATCH (:" + ep + " {" + eid + ": id})<-[:FOR_INCIDENT]-(x:RunbookExecution)\n"
                + "WHERE NOT coalesce(x.dry_run_only, false) AND x.status <> 'running'\n"
                + "RETURN id, x.id AS execution_id, coalesce(x.runbook_id, '') AS runbook_id, x.status AS status,\n"
                + "       x.denied_by AS denied_by, x.executed_at AS executed_at\n"
                + "ORDER BY id, x.executed_at";
    }

    /** A builder; {@link Builder#driver} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The incidents whose event time is at or after {@code since}, oldest first, read page by page as the stream is
     * consumed.
     *
     * @throws IncidentContextException (while streaming) when an event's data does not fit the schema
     */
    public Stream<HistoricalIncident> since(Instant since) {
        Objects.requireNonNull(since, "since");
        return stream(new Pages(since, Optional.empty()));
    }

    /**
     * The incidents whose event time is at or after {@code since} and before {@code until}, oldest first, read page
     * by page as the stream is consumed.
     *
     * @throws IllegalArgumentException when {@code until} is not after {@code since}
     */
    public Stream<HistoricalIncident> between(Instant since, Instant until) {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        if (!until.isAfter(since)) {
            throw new IllegalArgumentException("until " + until + " must be after since " + since);
        }
        return stream(new Pages(since, Optional.of(until)));
    }

    private static Stream<HistoricalIncident> stream(Iterator<HistoricalIncident> it) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /** The page query's text (parameters {@code $since}, {@code $until}, {@code $after_time}, {@code $after_id}, {@code $page}). */
    public String pageQueryText() {
        return pageQuery;
    }

    private SessionConfig sessionConfig() {
        var b = SessionConfig.builder();
        database.ifPresent(b::withDatabase);
        return b.build();
    }

    /** Reads the next page when the current one is used up. */
    private final class Pages implements Iterator<HistoricalIncident> {
        private final Object since;
        private final Object until;
        private final ArrayDeque<HistoricalIncident> buffer = new ArrayDeque<>();
        private Object afterTime;
        private String afterId;
        private boolean exhausted;

        Pages(Instant since, Optional<Instant> until) {
            this.since = since.atZone(ZoneOffset.UTC);
            this.until = until.map(u -> u.atZone(ZoneOffset.UTC)).orElse(null);
        }

        @Override
        public boolean hasNext() {
            if (buffer.isEmpty() && !exhausted) {
                fetch();
            }
            return !buffer.isEmpty();
        }

        @Override
        public HistoricalIncident next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return buffer.poll();
        }

        /** One page and the cursor after it. */
        private record Page(List<HistoricalIncident> incidents, Object lastTime, String lastId) {
        }

        private void fetch() {
            var params = new HashMap<String, Object>();
            params.put("since", since);
            params.put("until", until);
            params.put("after_time", afterTime);
            params.put("after_id", afterId);
            params.put("page", pageSize);
            try (var session = driver.session(sessionConfig())) {
                // the work may be retried on a transient failure: it reads only, and the cursor moves after it
                Page page = session.executeRead(tx -> {
                    List<Record> rows = tx.run(pageQuery, params).list();
                    if (rows.isEmpty()) {
                        return new Page(List.of(), null, null);
                    }
                    Record last = rows.get(rows.size() - 1);
                    List<String> ids = rows.stream().map(r -> r.get("eid").asString()).toList();
                    Map<String, List<RecordedExecution>> recorded = audit ? recorded(tx, ids) : Map.of();
                    var out = new ArrayList<HistoricalIncident>(ids.size());
                    for (String id : ids) {
                        var result = tx.run(incidentQuery.text(), Map.of("incident_id", id));
                        Incident incident = incidentQuery.toIncident(id, result.single());
                        out.add(new HistoricalIncident(incident, recorded.getOrDefault(id, List.of())));
                    }
                    return new Page(out, last.get("event_time").asObject(), last.get("eid").asString());
                });
                if (page.incidents().size() < pageSize) {
                    exhausted = true;
                }
                if (!page.incidents().isEmpty()) {
                    afterTime = page.lastTime();
                    afterId = page.lastId();
                }
                buffer.addAll(page.incidents());
            }
        }

        private Map<String, List<RecordedExecution>> recorded(org.neo4j.driver.TransactionContext tx, List<String> ids) {
            var byIncident = new HashMap<String, List<RecordedExecution>>();
            for (Record r : tx.run(auditQuery, Map.of("ids", ids)).list()) {
                String id = r.get("id").asString();
                String status = r.get("status").isNull() ? "" : r.get("status").asString();
                Optional<ExecutionStatus> s = status(status);
                Optional<Instant> at = Values.instant(r.get("executed_at"));
                if (s.isEmpty() || at.isEmpty()) {
                    LOG.warn("audit record {} of incident {} has status '{}' and executed_at {}: left out of the "
                            + "comparison", r.get("execution_id"), id, status, r.get("executed_at"));
                    continue;
                }
                Value denied = r.get("denied_by");
                byIncident.computeIfAbsent(id, k -> new ArrayList<>()).add(new RecordedExecution(
                        r.get("execution_id").asString(), r.get("runbook_id").asString(), s.get(),
                        denied.isNull() ? Optional.empty() : Optional.of(denied.asString()), at.get()));
            }
            return byIncident;
        }
    }

    private static Optional<ExecutionStatus> status(String s) {
        try {
            return Optional.of(ExecutionStatus.valueOf(s.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Builds a {@link Neo4jIncidentHistory}; each setter checks its value at once. */
    public static final class Builder extends ConnectionBuilder<Builder> {
        private GraphSchema schema = GraphSchema.defaults();
        private int pageSize = 500;
        private boolean audit = true;

        private Builder() {
        }



        /** The graph's names (default: the seed's). */
        public Builder schema(GraphSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /** Events read per page and transaction (default 500). */
        public Builder pageSize(int size) {
            if (size < 1 || size > 10_000) {
                throw new IllegalArgumentException("pageSize must be between 1 and 10000, got " + size);
            }
            this.pageSize = size;
            return this;
        }

        /** Whether to read what the audit recorded for each incident (default true). */
        public Builder audit(boolean audit) {
            this.audit = audit;
            return this;
        }

        /**
         * Builds it.
         *
         * @throws IllegalStateException when no driver was given
         */
        public Neo4jIncidentHistory build() {
            requireDriver("Neo4jIncidentHistory");
            return new Neo4jIncidentHistory(this);
        }
    }
}
