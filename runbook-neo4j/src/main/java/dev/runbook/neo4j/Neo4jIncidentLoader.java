package dev.runbook.neo4j;

import dev.runbook.core.model.Incident;
import dev.runbook.neo4j.internal.IncidentQuery;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;

/**
 * Loads an {@link Incident} from the RCA graph with the seed's {@code incident_context} query: the symptom
 * event, the resource it is {@code ABOUT}, the highest-confidence {@code POTENTIAL_CAUSE} and its confidence,
 * and the causal chain behind that cause (nearest first, at most {@link GraphSchema#maxChainDepth()} links).
 * A host that has only an incident id calls {@code engine.handle(loader.load(id))}.
 *
 * <p>Besides the seed's fields it fills: the controller (the resource's {@code controller} property, else
 * the farthest resource reached over up to 3 {@code OWNED_BY|CONTROLLED_BY} hops: Pod to ReplicaSet to
 * Deployment gives the Deployment), the container name ({@code container} property), the cluster
 * ({@code cluster} on the resource, else on the symptom), the event time, and the attributes {@code rid}
 * (the resource's id) and {@code root_cause_event_id}. All names come from the {@link GraphSchema}.
 *
 * <p>Reads run in a read transaction; the incident id is a query parameter. Thread-safe.
 */
public final class Neo4jIncidentLoader {
    private final Driver driver;
    private final Optional<String> database;
    private final GraphSchema schema;
    private final IncidentQuery query;

    private Neo4jIncidentLoader(Builder b) {
        this.driver = b.driver;
        this.database = b.databaseName();
        this.schema = b.schema;
        this.query = new IncidentQuery(b.schema);
    }

    /** A builder; {@link Builder#driver} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The incident with this id.
     *
     * @throws IncidentNotFoundException when no event has this id
     * @throws IncidentContextException  when the event has no resource or its data does not fit the schema
     */
    public Incident load(String incidentId) {
        return find(incidentId).orElseThrow(() -> new IncidentNotFoundException(incidentId, schema));
    }

    /**
     * The incident with this id, or empty when no event has it.
     *
     * @throws IncidentContextException when the event has no resource or its data does not fit the schema
     */
    public Optional<Incident> find(String incidentId) {
        Objects.requireNonNull(incidentId, "incidentId");
        if (incidentId.isBlank()) {
            throw new IllegalArgumentException("incident id must not be blank");
        }
        try (var session = driver.session(sessionConfig())) {
            var row = session.executeRead(tx -> {
                var result = tx.run(query.text(), Map.of("incident_id", incidentId));
                return result.hasNext() ? Optional.of(result.next()) : Optional.<org.neo4j.driver.Record>empty();
            });
            return row.map(r -> query.toIncident(incidentId, r));
        }
    }

    /** The schema in use. */
    public GraphSchema schema() {
        return schema;
    }

    /** The query text it runs (parameter {@code $incident_id}), for documentation and debugging. */
    public String queryText() {
        return query.text();
    }

    private SessionConfig sessionConfig() {
        var b = SessionConfig.builder();
        database.ifPresent(b::withDatabase);
        return b.build();
    }

    /** Builds a {@link Neo4jIncidentLoader}. */
    public static final class Builder extends ConnectionBuilder<Builder> {
        private GraphSchema schema = GraphSchema.defaults();

        private Builder() {
        }



        /** The graph's names (default: the seed's). */
        public Builder schema(GraphSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        public Neo4jIncidentLoader build() {
            requireDriver("Neo4jIncidentLoader");
            return new Neo4jIncidentLoader(this);
        }
    }
}
