package dev.runbook.neo4j.internal;

import static dev.runbook.neo4j.internal.Cypher.quote;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.ExecutionView;
import dev.runbook.core.internal.Json;
import dev.runbook.core.model.Incident;
import dev.runbook.neo4j.GraphSchema;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neo4j.driver.TransactionContext;

/**
 * An {@link Execution} as audit graph rows, and the batched statements that MERGE them. Every node is merged
 * on an id derived from the execution id, so writing a batch twice (a retry after an unknown commit outcome)
 * changes nothing.
 */
public final class AuditRecords {
    /** The execution properties taken from the view as they are. */
    private static final List<String> EXECUTION_KEYS = List.of("runbook_id", "runbook_version", "incident_id",
            "executed_by", "error", "actions_taken", "duration_ms", "rollback_status", "touched", "escalated_to");
    /** The step properties taken from the view as they are. */
    private static final List<String> STEP_KEYS = List.of("name", "action", "dry_run", "attempts", "error", "summary",
            "duration_ms", "touched");

    final String executions;
    final String incidentLinks;
    final String resourceByRid;
    final String resourceByName;
    final String guards;
    final String steps;
    final String escalations;

    /*
     * No statement names an index: each lookup and MERGE of our nodes is by a unique id, whose seek the planner takes
     * at any graph size (RecordStatementPlansTest), and a MERGE takes no hint anyway. The host's :Episodic and
     * :Resource nodes are found through the host's own indexes, if it has them.
     */
    public AuditRecords(GraphSchema s) {
        String res = quote(s.resourceLabel());
        executions = "UNWIND $batch AS x\n"
                + "MERGE (e:RunbookExecution {id: x.id})\n"
                + "SET e += x.props";
        incidentLinks = "UNWIND $batch AS x\n"
                + "MATCH (e:RunbookExecution {id: x.id})\n"
                + "MERGE (i:" + quote(s.episodicLabel()) + " {" + quote(s.eventIdProperty()) + ": x.incident_id})\n"
                + "MERGE (e)-[:FOR_INCIDENT]->(i)";
        resourceByRid = "UNWIND $batch AS x\n"
                + "WITH x WHERE x.rid IS NOT NULL\n"
                + "MATCH (e:RunbookExecution {id: x.id})\n"
                + "MATCH (r:" + res + " {" + quote(s.resourceIdProperty()) + ": x.rid})\n"
                + "MERGE (e)-[:ON_RESOURCE]->(r)";
        resourceByName = "UNWIND $batch AS x\n"
                + "WITH x WHERE x.rid IS NULL\n"
                + "MATCH (e:RunbookExecution {id: x.id})\n"
                + "MATCH (r:" + res + " {" + quote(s.kindProperty()) + ": x.kind, " + quote(s.nameProperty()) + ": x.name})\n"
                + "WHERE coalesce(r." + quote(s.namespaceProperty()) + ", '') = x.namespace\n"
                + "MERGE (e)-[:ON_RESOURCE]->(r)";
        guards = "UNWIND $guards AS g\n"
                + "MATCH (e:RunbookExecution {id: g.execution_id})\n"
                + "MERGE (d:RunbookGuardDecision {id: g.id})\n"
                + "SET d += g.props\n"
                + "MERGE (e)-[:GUARD_DECISION]->(d)";
        steps = "UNWIND $steps AS st\n"
                + "MATCH (e:RunbookExecution {id: st.execution_id})\n"
                + "MERGE (s:RunbookStep {id: st.id})\n"
                + "SET s += st.props\n"
                + "MERGE (e)-[:HAS_STEP]->(s)";
        // The execution escalated to is recorded on its own (listeners see it first); MERGE keeps either order safe.
        escalations = "UNWIND $batch AS x\n"
                + "WITH x WHERE x.escalated_to IS NOT NULL\n"
                + "MATCH (e:RunbookExecution {id: x.id})\n"
                + "MERGE (n:RunbookExecution {id: x.escalated_to})\n"
                + "MERGE (e)-[:ESCALATED_TO]->(n)";
    }

    /** Constraints the audit graph relies on (run once, outside data transactions). */
    public static List<String> schemaStatements() {
        return List.of(
                "CREATE CONSTRAINT runbook_execution_id IF NOT EXISTS FOR (e:RunbookExecution) REQUIRE e.id IS UNIQUE",
                "CREATE CONSTRAINT runbook_step_id IF NOT EXISTS FOR (s:RunbookStep) REQUIRE s.id IS UNIQUE",
                "CREATE CONSTRAINT runbook_guard_decision_id IF NOT EXISTS FOR (d:RunbookGuardDecision) REQUIRE d.id IS UNIQUE",
                // Neo4jOutcomeHistory reads executions by runbook id
                "CREATE INDEX runbook_execution_runbook_id IF NOT EXISTS FOR (e:RunbookExecution) ON (e.runbook_id)");
    }

    /** Writes a batch in the caller's transaction. */
    public void write(TransactionContext tx, List<Execution> batch) {
        var rows = new ArrayList<Map<String, Object>>();
        var guardRows = new ArrayList<Map<String, Object>>();
        var stepRows = new ArrayList<Map<String, Object>>();
        for (Execution e : batch) {
            Map<String, Object> view = ExecutionView.of(e);
            rows.add(execution(e, view));
            List<?> g = (List<?>) view.get("guard_decisions");
            for (int i = 0; i < g.size(); i++) {
                var props = new HashMap<String, Object>(cast((Map<?, ?>) g.get(i)));
                props.put("index", i);
                props.put("execution_id", e.id());
                guardRows.add(Map.of("execution_id", e.id(), "id", e.id() + "/guard/" + i, "props", props));
            }
            addSteps(stepRows, e.id(), "dry_run", view.get("dry_run_steps"));
            addSteps(stepRows, e.id(), "real", view.get("steps"));
            addSteps(stepRows, e.id(), "rollback", view.get("rollback_steps"));
        }
        tx.run(executions, Map.of("batch", rows)).consume();
        tx.run(incidentLinks, Map.of("batch", rows)).consume();
        tx.run(resourceByRid, Map.of("batch", rows)).consume();
        tx.run(resourceByName, Map.of("batch", rows)).consume();
        tx.run(escalations, Map.of("batch", rows)).consume();
        if (!guardRows.isEmpty()) {
            tx.run(guards, Map.of("guards", guardRows)).consume();
        }
        if (!stepRows.isEmpty()) {
            tx.run(steps, Map.of("steps", stepRows)).consume();
        }
    }

    /**
     * The execution node's properties, picked from core's {@link ExecutionView} so names and formats match what CLI,
     * MCP and the dashboard show. Three storage rules of the audit graph, kept for the data and queries already on
     * it: the start is {@code executed_at}, statuses are lower case, and times are Neo4j datetimes (range queries).
     * An absent value is {@code null}, which {@code SET +=} turns into no property.
     */
    private static Map<String, Object> execution(Execution e, Map<String, Object> view) {
        Incident incident = e.incident();
        var p = new HashMap<String, Object>();
        for (String key : EXECUTION_KEYS) {
            p.put(key, view.get(key));
        }
        p.put("id", view.get("execution_id"));
        p.put("executed_at", time(view.get("started_at")));
        p.put("finished_at", time(view.get("finished_at")));
        p.put("status", lower(view.get("status")));
        Map<?, ?> approval = (Map<?, ?>) view.get("approval");
        p.put("approver", approval == null ? null : approval.get("approver"));
        p.put("approved", approval == null ? null : approval.get("approved"));
        p.put("approval_reason", approval == null ? null : approval.get("reason"));
        Map<?, ?> refusedBy = (Map<?, ?>) view.get("refused_by");
        p.put("denied_by", refusedBy == null ? null : refusedBy.get("guard"));
        p.put("dry_run_only", e.status() == ExecutionStatus.PLANNED);
        p.put("root_cause", incident.rootCauseReason());
        p.put("rca_confidence", incident.rcaConfidence());
        p.put("symptom_reason", incident.symptomReason());
        p.put("resource_key", incident.resource().key());
        p.put("resource_kind", incident.resource().kind());
        p.put("incident_event_time", incident.eventTime().map(i -> i.atZone(ZoneOffset.UTC)).orElse(null));
        var row = new HashMap<String, Object>();
        row.put("id", e.id());
        row.put("incident_id", e.incidentId());
        row.put("props", p);
        Object rid = incident.attributes().get("rid");
        row.put("rid", rid instanceof String s && !s.isBlank() ? s : null);
        row.put("kind", incident.resource().kind());
        row.put("name", incident.resource().name());
        row.put("namespace", incident.resource().namespace());
        row.put("escalated_to", view.get("escalated_to"));
        return row;
    }

    /** Step node properties from the view's steps; params and output as JSON text (a property holds no map). */
    private static void addSteps(List<Map<String, Object>> out, String executionId, String phase, Object viewSteps) {
        List<?> steps = (List<?>) viewSteps;
        for (int i = 0; i < steps.size(); i++) {
            Map<?, ?> s = (Map<?, ?>) steps.get(i);
            var p = new HashMap<String, Object>();
            for (String key : STEP_KEYS) {
                p.put(key, s.get(key));
            }
            p.put("execution_id", executionId);
            p.put("phase", phase);
            p.put("index", i);
            p.put("status", lower(s.get("status")));
            p.put("started_at", time(s.get("started_at")));
            p.put("finished_at", time(s.get("finished_at")));
            p.put("params_json", Json.write(s.get("params")));
            p.put("output_json", s.containsKey("output") ? Json.write(s.get("output")) : null);
            out.add(Map.of("execution_id", executionId, "id", executionId + "/" + phase + "/" + i, "props", p));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static String lower(Object status) {
        return String.valueOf(status).toLowerCase(Locale.ROOT);
    }

    private static ZonedDateTime time(Object iso) {
        return Instant.parse((String) iso).atZone(ZoneOffset.UTC);
    }

    /** Lower-case status names, as the graph stores them: {@code succeeded}, {@code rolled_back}, {@code denied}, ... */
    public static String status(ExecutionStatus s) {
        return lower(s.name());
    }
}
