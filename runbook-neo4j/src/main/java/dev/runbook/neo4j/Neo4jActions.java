package dev.runbook.neo4j;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.neo4j.internal.CheckNeo4jAction;
import dev.runbook.neo4j.internal.ConnectionSettings;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * The Neo4j actions: {@code check_neo4j} (alias {@code neo4j.check}).
 *
 * <p>{@code check_neo4j} params: {@code query} (Cypher, required), {@code params} (map, optional),
 * {@code database} (optional). It runs the query in a read transaction (a query that writes is refused by
 * Neo4j and the step fails saying so), also in a dry run. The query text must not contain {@code {{ }}}
 * templates: values go in {@code params}, and {@code $incident_id}, {@code $resource_rid} (the incident's
 * {@code rid} attribute, else {@code Kind/namespace/name}) and {@code $incident_time} (a datetime, when the
 * incident has an event time) are bound from the incident; a name in {@code params} overrides them. The output
 * is the single row's columns, or for several rows the first row's columns plus {@code rows} (all rows, at
 * most 1000), or {@code {rows: []}} for none, so {@code expect: "new_failures == 0"} reads the column.
 *
 * <p>Found by ServiceLoader, it reads its connection from system properties {@code runbook.neo4j.uri},
 * {@code runbook.neo4j.user}, {@code runbook.neo4j.password}, {@code runbook.neo4j.database} or the
 * environment variables {@code RUNBOOK_NEO4J_URI}, {@code _USER}, {@code _PASSWORD}, {@code _DATABASE}, and
 * opens its driver on first use (unconfigured, the step fails with a message saying what to set). Hosts
 * that own a driver pass it to {@link #Neo4jActions(Driver)}. Close the provider to close a driver it opened.
 */
public final class Neo4jActions implements ActionProvider, AutoCloseable {
    private final Object lock = new Object();
    private final ConnectionSettings settings;
    private final boolean ownsDriver;
    private Driver driver;
    private final List<Action> actions;

    /** Configured from system properties or the environment (see the class comment); connects on first use. */
    public Neo4jActions() {
        this.settings = ConnectionSettings.fromEnvironment();
        this.ownsDriver = true;
        this.actions = List.of(new CheckNeo4jAction(this::driver, settings.database()));
    }

    /** Using the host's driver (the host closes it) and the server's default database. */
    public Neo4jActions(Driver driver) {
        this(driver, Optional.empty());
    }

    /** Using the host's driver and this default database. */
    public Neo4jActions(Driver driver, String database) {
        this(driver, Optional.of(database));
    }

    private Neo4jActions(Driver driver, Optional<String> database) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.settings = new ConnectionSettings(Optional.empty(), Optional.empty(), "", database);
        this.ownsDriver = false;
        this.actions = List.of(new CheckNeo4jAction(this::driver, database));
    }

    @Override
    public List<Action> actions() {
        return actions;
    }

    @Override
    public String id() {
        return "neo4j";
    }

    private Driver driver() {
        synchronized (lock) {
            if (driver == null) {
                String uri = settings.uri().orElseThrow(() -> new IllegalStateException(
                        "check_neo4j has no Neo4j connection: set RUNBOOK_NEO4J_URI (and RUNBOOK_NEO4J_USER, "
                                + "RUNBOOK_NEO4J_PASSWORD) or the system property runbook.neo4j.uri, or register "
                                + "new Neo4jActions(driver) with the engine"));
                driver = GraphDatabase.driver(uri, settings.user()
                        .map(u -> AuthTokens.basic(u, settings.password())).orElse(AuthTokens.none()));
            }
            return driver;
        }
    }

    /** Closes the driver this provider opened itself; a host's driver stays open. */
    @Override
    public void close() {
        synchronized (lock) {
            if (ownsDriver && driver != null) {
                driver.close();
                driver = null;
            }
        }
    }
}
