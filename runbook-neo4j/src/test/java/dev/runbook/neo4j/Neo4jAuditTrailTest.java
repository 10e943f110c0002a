package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.ExecutionView;
import dev.runbook.core.internal.Json;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;

/** The audit graph after a successful, a rolled-back and a denied execution, written through the engine. */
@Neo4jTest
class Neo4jAuditTrailTest {
    /** Seven minutes after the fixture's symptom: the engine's (test) clock during these executions. */
    static final Instant NOW = Instant.parse("2026-01-01T10:07:00Z");
    private final String p = "aud-" + UUID.randomUUID() + "-";

    private Runbook runbook() {
        return Runbook.builder(p + "oom-audit").version("2.1")
                .trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().dryRunFirst(true).build())
                .step(ActionStep.builder("Increase memory", "bump_memory").build())
                .step(ActionStep.builder("Verify incident resolved", "check_neo4j").param("query", CheckNeo4jTest.SEED_QUERY)
                        .expect("new_failures == 0").build())
                .rollbackStep(ActionStep.builder("Revert memory change", "revert_memory").build())
                .build();
    }

    private static Record one(Driver driver, String cypher, Map<String, Object> params) {
        try (var s = driver.session()) {
            return s.run(cypher, params).single();
        }
    }

    @Test
    void recordsSuccessRollbackAndDenialWithTheirStepsGuardsAndLinks(Driver driver) throws Exception {
        RcaGraph ok = RcaGraph.create(driver, p + "ok-");
        RcaGraph bad = RcaGraph.create(driver, p + "bad-");
        RcaGraph denied = RcaGraph.create(driver, p + "denied-");
        var loader = Neo4jIncidentLoader.builder().driver(driver).build();
        var bump = new TestAction("bump_memory", ctx -> {
            if (ctx.incident().incidentId().equals(bad.symptom)) {
                bad.addFailureAfter(driver, "again", "OOMKilled", 12);
            }
        });
        var revert = new TestAction("revert_memory");
        Execution e1;
        Execution e2;
        Execution e3;
        try (var trail = Neo4jAuditTrail.builder().driver(driver).build();
             RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(new TestClock(NOW))
                     .runbook(runbook()).actionProvider(new Neo4jActions(driver)).actions(bump, revert)
                     .executedBy("kg-builder-0").listener(trail).build()) {
            e1 = engine.handle(loader.load(ok.symptom));
            e2 = engine.handle(loader.load(bad.symptom));
            engine.killSwitch().engage("maintenance window");
            e3 = engine.handle(loader.load(denied.symptom));
            engine.killSwitch().release();
            assertThat(trail.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(trail.written()).isEqualTo(3);
            assertThat(trail.dropped()).isZero();
        }
        assertThat(List.of(e1.status(), e2.status(), e3.status()))
                .containsExactly(ExecutionStatus.SUCCEEDED, ExecutionStatus.ROLLED_BACK, ExecutionStatus.DENIED);

        // success: the seed's properties and more, linked to the existing Episodic and Resource (none created)
        Record s = one(driver, """
                MATCH (e:RunbookExecution {id: $id})-[:FOR_INCIDENT]->(i:Episodic)
                MATCH (e)-[:ON_RESOURCE]->(r:Resource)
                RETURN e, i.reason AS reason, r.rid AS rid,
                       COUNT { (x:Episodic {eid: $eid}) } AS episodics,
                       [(e)-[:GUARD_DECISION]->(g) | g {.index, .guard, .allowed}] AS guards,
                       [(e)-[:HAS_STEP]->(st) | st {.phase, .index, .name, .status, .output_json, .duration_ms, .dry_run}] AS steps
                """, Map.of("id", e1.id(), "eid", ok.symptom));
        var exec = s.get("e").asNode();
        assertThat(exec.get("runbook_id").asString()).isEqualTo(p + "oom-audit");
        assertThat(exec.get("runbook_version").asString()).isEqualTo("2.1");
        assertThat(exec.get("incident_id").asString()).isEqualTo(ok.symptom);
        assertThat(exec.get("executed_at").asZonedDateTime().toInstant()).isEqualTo(NOW);
        assertThat(exec.get("executed_by").asString()).isEqualTo("kg-builder-0");
        assertThat(exec.get("status").asString()).isEqualTo("succeeded");
        assertThat(exec.get("actions_taken").asList()).containsExactly("bump_memory " + ok.pod);
        assertThat(exec.get("dry_run_only").asBoolean()).isFalse();
        assertThat(exec.get("duration_ms").asLong()).isZero(); // the test clock does not move
        assertThat(exec.get("rollback_status").asString()).isEqualTo("none");
        assertThat(exec.get("root_cause").asString()).isEqualTo("OOMKilled");
        assertThat(exec.get("incident_event_time").asZonedDateTime().toInstant()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(exec.containsKey("error")).isFalse();
        assertThat(exec.containsKey("approver")).isFalse();
        assertThat(s.get("reason").asString()).isEqualTo("CrashLoopBackOff");
        assertThat(s.get("rid").asString()).isEqualTo(ok.podRid);
        assertThat(s.get("episodics").asLong()).isEqualTo(1);
        assertThat(s.get("guards").asList(v -> v.get("guard").asString() + "=" + v.get("allowed").asBoolean()))
                .containsExactlyInAnyOrderElementsOf(e1.guardDecisions().stream()
                        .map(g -> g.guard() + "=" + g.allowed()).toList());
        assertThat(s.get("steps").asList(v -> v.get("phase").asString() + ":" + v.get("name").asString() + ":"
                + v.get("status").asString() + ":" + v.get("dry_run").asBoolean()))
                .containsExactlyInAnyOrder("dry_run:Increase memory:succeeded:true",
                        "dry_run:Verify incident resolved:succeeded:true",
                        "real:Increase memory:succeeded:false", "real:Verify incident resolved:succeeded:false");
        assertThat(s.get("steps").asList(v -> v.get("output_json").asString(null)))
                .contains("{\"new_failures\":0}", "\"done\"");

        // failed and rolled back: the error, the rollback step and its outcome
        Record f = one(driver, """
                MATCH (e:RunbookExecution {id: $id})
                RETURN e.status AS status, e.error AS error, e.rollback_status AS rollback, e.actions_taken AS actions,
                       [(e)-[:HAS_STEP]->(st {phase: 'rollback'}) | st.name + ':' + st.status] AS rollback_steps,
                       [(e)-[:HAS_STEP]->(st {phase: 'real', status: 'failed'}) | st.error] AS failed_steps
                """, Map.of("id", e2.id()));
        assertThat(f.get("status").asString()).isEqualTo("rolled_back");
        assertThat(f.get("error").asString()).isEqualTo(e2.error().orElseThrow())
                .contains("expect 'new_failures == 0' was false");
        assertThat(f.get("rollback").asString()).isEqualTo("succeeded");
        assertThat(f.get("rollback_steps").asList()).containsExactly("Revert memory change:succeeded");
        assertThat(f.get("failed_steps").asList()).hasSize(1);
        assertThat(f.get("actions").asList()).containsExactlyElementsOf(List.copyOf(e2.actionsTaken()));

        // denied: which guard and why, no steps
        Record d = one(driver, """
                MATCH (e:RunbookExecution {id: $id})-[:FOR_INCIDENT]->(:Episodic {eid: $eid})
                RETURN e.status AS status, e.denied_by AS guard, e.error AS error,
                       COUNT { (e)-[:HAS_STEP]->() } AS steps,
                       [(e)-[:GUARD_DECISION]->(g {allowed: false}) | g.reason] AS denials
                """, Map.of("id", e3.id(), "eid", denied.symptom));
        assertThat(d.get("status").asString()).isEqualTo("denied");
        assertThat(d.get("guard").asString()).isEqualTo("enabled");
        assertThat(d.get("steps").asLong()).isZero();
        assertThat(d.get("denials").asList()).containsExactly("kill switch engaged: maintenance window");

        // the reports
        var stats = new AuditQueries(driver).perRunbook().stream()
                .filter(r -> r.key().equals(p + "oom-audit")).findFirst().orElseThrow();
        assertThat(stats.executions()).isEqualTo(2);
        assertThat(stats.succeeded()).isEqualTo(1);
        assertThat(stats.denied()).isEqualTo(1);
        assertThat(stats.successRate()).isEqualTo(0.5);
        assertThat(stats.meanDuration()).hasValue(Duration.ZERO);
        assertThat(stats.meanTimeToRemediation()).hasValue(Duration.ofMinutes(7));
    }

    @Test
    void writingAnExecutionTwiceChangesNothing(Driver driver) throws Exception {
        RcaGraph g = RcaGraph.create(driver, p);
        Execution e;
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(new TestClock(NOW))
                .runbook(runbook()).actionProvider(new Neo4jActions(driver))
                .actions(new TestAction("bump_memory"), new TestAction("revert_memory")).build()) {
            e = engine.handle(Neo4jIncidentLoader.builder().driver(driver).build().load(g.symptom));
        }
        try (var trail = Neo4jAuditTrail.builder().driver(driver).build()) {
            trail.executionFinished(e);
            assertThat(trail.flush(Duration.ofSeconds(30))).isTrue();
            trail.executionFinished(e);
            assertThat(trail.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(trail.written()).isEqualTo(2);
        }
        Record r = one(driver, """
                MATCH (e:RunbookExecution {id: $id})
                RETURN count(e) AS executions, COUNT { (e)-[:HAS_STEP]->() } AS steps,
                       COUNT { (e)-[:GUARD_DECISION]->() } AS guards, COUNT { (e)-[:FOR_INCIDENT]->() } AS incidents,
                       COUNT { (e)-[:ON_RESOURCE]->() } AS resources
                """, Map.of("id", e.id()));
        assertThat(r.get("executions").asLong()).isEqualTo(1);
        assertThat(r.get("steps").asLong()).isEqualTo(4);
        assertThat(r.get("guards").asLong()).isEqualTo(e.guardDecisions().size());
        assertThat(r.get("incidents").asLong()).isEqualTo(1);
        assertThat(r.get("resources").asLong()).isEqualTo(1);
    }

    @Test
    void theNodesCarryTheFieldsOfCoresExecutionViewUnderTheirNames(Driver driver) throws Exception {
        RcaGraph g = RcaGraph.create(driver, p + "view-");
        Execution e;
        try (var trail = Neo4jAuditTrail.builder().driver(driver).build();
             RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(new TestClock(NOW))
                     .runbook(runbook()).actionProvider(new Neo4jActions(driver))
                     .actions(new TestAction("bump_memory"), new TestAction("revert_memory")).listener(trail).build()) {
            e = engine.handle(Neo4jIncidentLoader.builder().driver(driver).build().load(g.symptom));
            assertThat(trail.flush(Duration.ofSeconds(30))).isTrue();
        }
        Map<String, Object> view = ExecutionView.of(e);
        Record r = one(driver, """
                MATCH (e:RunbookExecution {id: $id})-[:HAS_STEP]->(st {phase: 'real', index: 0})
                RETURN e, st
                """, Map.of("id", e.id()));
        var exec = r.get("e").asNode().asMap();
        for (String key : List.of("runbook_id", "runbook_version", "incident_id", "executed_by", "actions_taken",
                "duration_ms", "rollback_status", "touched")) {
            assertThat(exec.get(key)).as(key).isEqualTo(view.get(key));
        }
        assertThat(exec.get("id")).isEqualTo(view.get("execution_id"));
        // the graph's storage rules: lower-case status, the start as executed_at, times as datetimes
        assertThat(exec.get("status")).isEqualTo(((String) view.get("status")).toLowerCase(java.util.Locale.ROOT));
        assertThat(((java.time.ZonedDateTime) exec.get("executed_at")).toInstant().toString())
                .isEqualTo(view.get("started_at"));
        @SuppressWarnings("unchecked")
        var step = (Map<String, Object>) ((List<?>) view.get("steps")).get(0);
        var node = r.get("st").asNode().asMap();
        for (String key : List.of("name", "action", "dry_run", "summary", "duration_ms", "touched")) {
            assertThat(node.get(key)).as(key).isEqualTo(step.get(key) instanceof Integer i ? (long) i : step.get(key));
        }
        assertThat(node.get("params_json")).isEqualTo(Json.write(step.get("params")));
        assertThat(node.get("output_json")).isEqualTo(Json.write(step.get("output")));
    }

    @Test
    void aHandBuiltIncidentUnknownToTheGraphGetsItsEpisodicMerged(Driver driver) throws Exception {
        Incident incident = Incident.builder(p + "external").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource("Pod", "default", p + "nowhere").build();
        try (var trail = Neo4jAuditTrail.builder().driver(driver).build();
             RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(new TestClock())
                     .runbook(Runbook.builder(p + "plain").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                             .step(ActionStep.builder("bump", "bump_memory").build()).build())
                     .actions(new TestAction("bump_memory")).listener(trail).build()) {
            assertThat(engine.handle(incident).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(trail.flush(Duration.ofSeconds(30))).isTrue();
        }
        Record r = one(driver, """
                MATCH (e:RunbookExecution {incident_id: $eid})-[:FOR_INCIDENT]->(i:Episodic {eid: $eid})
                RETURN e.status AS status, COUNT { (e)-[:ON_RESOURCE]->() } AS resources, e.resource_key AS key
                """, Map.of("eid", p + "external"));
        assertThat(r.get("status").asString()).isEqualTo("succeeded");
        assertThat(r.get("resources").asLong()).isZero(); // resources are linked, never invented
        assertThat(r.get("key").asString()).isEqualTo("Pod/default/" + p + "nowhere");
    }
}
