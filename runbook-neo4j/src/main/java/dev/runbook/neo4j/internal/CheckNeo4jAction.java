package dev.runbook.neo4j.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Step;
import dev.runbook.core.model.StepGraph;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;

/**
 * {@code check_neo4j}: runs a Cypher query in a read transaction and returns its rows for {@code expect}.
 * Values reach Cypher only as parameters; the query text of the step must not contain templates. Only read clauses
 * over the graph run ({@link ReadOnlyCypher}: no LOAD CSV, SHOW, USE, writes, system database, and CALL only to a
 * few schema procedures), checked on the words and on the plan of {@code EXPLAIN} before the query runs.
 */
public final class CheckNeo4jAction implements Action {
    /** The action's name. */
    public static final String NAME = "check_neo4j";
    /** More rows than this fail the step: a verification query should aggregate. */
    public static final int MAX_ROWS = 1000;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final ParamSchema SCHEMA = ParamSchema.of(
            ParamSpec.required("query", ParamType.STRING,
                    "Cypher to run read-only; use $incident_id, $resource_rid, $incident_time and $names from params"),
            ParamSpec.optional("params", ParamType.MAP, "query parameters (templates allowed in the values)"),
            ParamSpec.optional("database", ParamType.STRING, "database name (default: the configured or server default)"));

    private final Supplier<Driver> driver;
    private final Optional<String> defaultDatabase;

    public CheckNeo4jAction(Supplier<Driver> driver, Optional<String> defaultDatabase) {
        this.driver = driver;
        this.defaultDatabase = defaultDatabase;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("neo4j.check");
    }

    @Override
    public String description() {
        return "Run a read-only Cypher query (parameters only, no templates in the text) and expose its columns to expect";
    }

    @Override
    public ParamSchema schema() {
        return SCHEMA;
    }

    @Override
    public boolean mutating() {
        return false;
    }

    @Override
    public ActionResult execute(ActionContext ctx) throws ActionException {
        String query = ctx.string("query");
        if (query.contains("{{") || rawQueryHasTemplate(ctx)) {
            throw ActionException.permanent("check_neo4j step '" + ctx.stepName()
                    + "': query text must not contain templates; pass values as params (for instance "
                    + "query: 'MATCH (p {name: $pod})', params: {pod: '{{ incident.resource.name }}'})");
        }
        Optional<String> refusal = ReadOnlyCypher.lexical(query);
        if (refusal.isPresent()) {
            throw ActionException.permanent("check_neo4j step '" + ctx.stepName() + "': " + refusal.get());
        }
        Map<String, Object> params = bindings(ctx.incident(), query, ctx.stepName());
        @SuppressWarnings("unchecked")
        Map<String, Object> given = (Map<String, Object>) ctx.params().getOrDefault("params", Map.of());
        params.putAll(given);
        Optional<String> database = ctx.optionalString("database").or(() -> defaultDatabase);
        if (database.isPresent() && database.get().strip().equalsIgnoreCase("system")) {
            throw ActionException.permanent("check_neo4j step '" + ctx.stepName() + "': database 'system' is refused: "
                    + "it holds users, roles and credentials; name a graph database (or none for the default)");
        }
        Duration timeout = ctx.remaining(DEFAULT_TIMEOUT);
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            timeout = Duration.ofSeconds(1);
        }
        var session = SessionConfig.builder().withDefaultAccessMode(AccessMode.READ);
        database.ifPresent(session::withDatabase);
        Driver d;
        try {
            d = driver.get();
        } catch (IllegalStateException e) {
            throw new ActionException("check_neo4j step '" + ctx.stepName() + "': " + e.getMessage(), false, e);
        }
        List<Map<String, Object>> rows;
        try (var s = d.session(session.build())) {
            rows = s.executeRead(tx -> {
                // the plan sees what the words may hide: LOAD CSV, a procedure call, a write, the system database
                Optional<String> planRefusal = ReadOnlyCypher.plan(tx.run("EXPLAIN " + query, params).consume());
                if (planRefusal.isPresent()) {
                    throw new Refused(planRefusal.get());
                }
                var result = tx.run(query, params);
                var out = new ArrayList<Map<String, Object>>();
                while (result.hasNext()) {
                    if (out.size() == MAX_ROWS) {
                        return null;
                    }
                    out.add(Values.row(result.next()));
                }
                return out;
            }, TransactionConfig.builder().withTimeout(timeout).build());
        } catch (Refused e) {
            throw ActionException.permanent("check_neo4j step '" + ctx.stepName() + "': " + e.getMessage());
        } catch (ClientException e) {
            String code = String.valueOf(e.code());
            if (code.contains("AccessMode") || code.contains("ForbiddenOnReadOnlyDatabase")) {
                throw new ActionException("check_neo4j step '" + ctx.stepName() + "': the query writes to the graph, "
                        + "but check_neo4j only reads (it runs in a read transaction): " + e.getMessage(), false, e);
            }
            throw new ActionException("check_neo4j step '" + ctx.stepName() + "': Neo4j refused the query (" + code
                    + "): " + e.getMessage(), false, e);
        } catch (ServiceUnavailableException | SessionExpiredException | TransientException e) {
            throw new ActionException("check_neo4j step '" + ctx.stepName() + "': Neo4j unavailable: " + e.getMessage(),
                    true, e);
        } catch (Neo4jException e) {
            throw new ActionException("check_neo4j step '" + ctx.stepName() + "': " + e.getMessage(), false, e);
        }
        if (rows == null) {
            throw ActionException.permanent("check_neo4j step '" + ctx.stepName() + "': the query returned more than "
                    + MAX_ROWS + " rows; aggregate (count, collect) or LIMIT it");
        }
        return ActionResult.of(output(rows));
    }

    /** A query the plan check refused, thrown out of the transaction function (the driver does not retry it). */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * One row: its columns. Several rows: the first row's columns plus {@code rows} (every row). None:
     * {@code rows} only (empty).
     */
    static Map<String, Object> output(List<Map<String, Object>> rows) {
        if (rows.size() == 1) {
            return rows.get(0);
        }
        var out = new LinkedHashMap<String, Object>();
        if (!rows.isEmpty()) {
            out.putAll(rows.get(0));
        }
        out.put("rows", List.copyOf(rows));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The variables bound from the incident: {@code incident_id}; {@code resource_rid} (the {@code rid}
     * attribute the loader sets, else {@code Kind/namespace/name}); {@code incident_time} as a datetime,
     * only when the incident has an event time.
     */
    static Map<String, Object> bindings(Incident incident, String query, String step) throws ActionException {
        var params = new LinkedHashMap<String, Object>();
        params.put("incident_id", incident.incidentId());
        Object rid = incident.attributes().get("rid");
        params.put("resource_rid", rid instanceof String s && !s.isBlank() ? s : incident.resource().key());
        if (incident.eventTime().isPresent()) {
            params.put("incident_time", incident.eventTime().get().atZone(ZoneOffset.UTC));
        } else if (query.contains("$incident_time")) {
            // binding null would make every comparison null and a "count == 0" check pass silently
            throw ActionException.permanent("check_neo4j step '" + step + "': the query uses $incident_time but incident '"
                    + incident.incidentId() + "' has no event time");
        }
        return params;
    }

    private static boolean rawQueryHasTemplate(ActionContext ctx) {
        List<Step> all = new ArrayList<>(ctx.runbook().steps().flatten());
        all.addAll(StepGraph.flatten(ctx.runbook().rollback()));
        for (Step s : all) {
            if (s instanceof ActionStep a && a.name().equals(ctx.stepName())) {
                ParamValue q = a.params().entries().get("query");
                if (q instanceof ParamValue.Scalar sc && sc.value() instanceof String text && text.contains("{{")) {
                    return true;
                }
            }
        }
        return false;
    }
}
