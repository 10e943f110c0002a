package dev.runbook.k8s.testing;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST STAND-IN for runbook-neo4j's {@code check_neo4j} action, so that the seed's OOMKilled runbook runs from its
 * YAML here without a Neo4j server (runbook-k8s must not depend on runbook-neo4j; the real action is tested against
 * neo4j-harness in runbook-neo4j). It has the real action's name, alias and param schema, is read-only like it, and
 * answers every query with one row {@code {new_failures: N}} where the test sets N: the seed's verification
 * ({@code expect: "new_failures == 0"}) then passes or fails as the test decides. Registered programmatically by
 * the tests, never through {@link java.util.ServiceLoader}.
 */
public final class CheckNeo4jStandIn implements ActionProvider, Action {
    /** What the next queries report as {@code new_failures}. */
    public volatile long newFailures;
    /** Every query received, in order. */
    public final List<Query> queries = new CopyOnWriteArrayList<>();

    /** One query the stand-in received: in the engine's dry run or not, for which incident, its text. */
    public record Query(boolean dryRun, String incidentId, String text) {
    }

    private static final ParamSchema SCHEMA = ParamSchema.of(
            ParamSpec.required("query", ParamType.STRING, "Cypher to run read-only (stand-in: not run)"),
            ParamSpec.optional("params", ParamType.MAP, "query parameters"),
            ParamSpec.optional("database", ParamType.STRING, "database name"));

    @Override
    public List<Action> actions() {
        return List.of(this);
    }

    @Override
    public String name() {
        return "check_neo4j";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("neo4j.check");
    }

    @Override
    public String description() {
        return "TEST STAND-IN for runbook-neo4j's check_neo4j: reports new_failures as the test sets it";
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
        // as the real action does: an unbound $incident_time would make the seed's count check pass silently
        if (query.contains("$incident_time") && ctx.incident().eventTime().isEmpty()) {
            throw ActionException.permanent("check_neo4j step '" + ctx.stepName() + "': the query uses $incident_time "
                    + "but incident '" + ctx.incident().incidentId() + "' has no event time");
        }
        queries.add(new Query(ctx.dryRun(), ctx.incident().incidentId(), query));
        return ActionResult.of(Map.of("new_failures", newFailures));
    }
}
