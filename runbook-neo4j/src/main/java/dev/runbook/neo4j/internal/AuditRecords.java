package dev.runbook.neo4j.internal;

import static dev.runbook.neo4j.internal.Cypher.quote;

import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.StepStatus;
import dev.runbook.core.guard.GuardDecision;
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
    private final String executions;
    private final String incidentLinks;
    private final String resourceByRid;
    private final String resourceByName;
    private final String guards;
    private final String steps;
    private final String escalations;

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
            rows.add(execution(e));
            List<GuardDecision> g = e.guardDecisions();
            for (int i = 0; i < g.size(); i++) {
                var props = new HashMap<String, Object>();
                props.put("index", i);
                props.put("guard", g.get(i).guard());
                props.put("allowed", g.get(i).allowed());
                props.put("reason", g.get(i).reason());
                props.put("execution_id", e.id());
                guardRows.add(Map.of("execution_id", e.id(), "id", e.id() + "/guard/" + i, "props", props));
            }
            addSteps(stepRows, e.id(), "dry_run", e.dryRunSteps());
            addSteps(stepRows, e.id(), "real", e.steps());
            addSteps(stepRows, e.id(), "rollback", e.rollbackSteps());
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

    private static Map<String, Object> execution(Execution e) {
        Incident incident = e.match().incident();
        var p = new HashMap<String, Object>();
        p.put("id", e.id());
        p.put("runbook_id", e.runbookId());
        p.put("runbook_version", e.runbookVersion());
        p.put("incident_id", e.incidentId());
        p.put("executed_at", time(e.startedAt()));
        p.put("finished_at", time(e.finishedAt()));
        p.put("executed_by", e.executedBy());
        p.put("status", status(e.status()));
        p.put("actions_taken", e.actionsTaken());
        p.put("approver", e.approval().map(a -> a.approver()).orElse(null));
        p.put("approved", e.approval().map(a -> a.approved()).orElse(null));
        p.put("approval_reason", e.approval().map(a -> a.reason()).orElse(null));
        p.put("error", e.error().orElse(null));
        p.put("dry_run_only", e.status() == ExecutionStatus.PLANNED);
        p.put("duration_ms", e.duration().toMillis());
        p.put("denied_by", e.denial().map(GuardDecision::guard).orElse(null));
        p.put("rollback_status", rollbackStatus(e.rollbackSteps()));
        p.put("root_cause", incident.rootCauseReason());
        p.put("rca_confidence", incident.rcaConfidence());
        p.put("symptom_reason", incident.symptomReason());
        p.put("resource_key", incident.resource().key());
        p.put("resource_kind", incident.resource().kind());
        p.put("escalated_to", e.escalatedTo().map(Execution::id).orElse(null));
        p.put("incident_event_time", incident.eventTime().map(AuditRecords::time).orElse(null));
        p.put("touched", e.touched().stream().map(TouchedResource::key).toList());
        var row = new HashMap<String, Object>();
        row.put("id", e.id());
        row.put("incident_id", e.incidentId());
        row.put("props", p);
        Object rid = incident.attributes().get("rid");
        row.put("rid", rid instanceof String s && !s.isBlank() ? s : null);
        row.put("kind", incident.resource().kind());
        row.put("name", incident.resource().name());
        row.put("namespace", incident.resource().namespace());
        row.put("escalated_to", e.escalatedTo().map(Execution::id).orElse(null));
        return row;
    }

    private static void addSteps(List<Map<String, Object>> out, String executionId, String phase, List<StepResult> steps) {
        for (int i = 0; i < steps.size(); i++) {
            StepResult s = steps.get(i);
            var p = new HashMap<String, Object>();
            p.put("execution_id", executionId);
            p.put("phase", phase);
            p.put("index", i);
            p.put("name", s.name());
            p.put("action", s.action());
            p.put("status", s.status().name().toLowerCase(Locale.ROOT));
            p.put("dry_run", s.dryRun());
            p.put("attempts", s.attempts());
            p.put("error", s.error().orElse(null));
            p.put("summary", s.summary());
            p.put("started_at", time(s.startedAt()));
            p.put("finished_at", time(s.finishedAt()));
            p.put("duration_ms", s.duration().toMillis());
            p.put("params_json", Json.write(s.params()));
            p.put("output_json", s.output().map(Json::write).orElse(null));
            p.put("touched", s.touched().stream().map(TouchedResource::key).toList());
            out.add(Map.of("execution_id", executionId, "id", executionId + "/" + phase + "/" + i, "props", p));
        }
    }

    /** Lower-case status names: {@code succeeded}, {@code rolled_back}, {@code denied}, ... */
    public static String status(ExecutionStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String rollbackStatus(List<StepResult> rollback) {
        if (rollback.isEmpty()) {
            return "none";
        }
        return rollback.stream().allMatch(s -> s.status() != StepStatus.FAILED) ? "succeeded" : "failed";
    }

    private static ZonedDateTime time(Instant i) {
        return i.atZone(ZoneOffset.UTC);
    }
}
