package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.StepStatus;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

@Neo4jTest
class CheckNeo4jTest {
    /** The seed's verification query, verbatim. */
    static final String SEED_QUERY = """
            MATCH (e:Episodic {eid: $incident_id})
            MATCH (new_incident:Episodic)-[:ABOUT]->(r:Resource {rid: $resource_rid})
            WHERE new_incident.event_time > $incident_time + duration({minutes: 5})
              AND new_incident.reason IN ['OOMKilled', 'CrashLoopBackOff']
            RETURN count(new_incident) AS new_failures
            """;
    private final String p = "chk-" + UUID.randomUUID() + "-";

    private static Object run(Driver driver, Incident incident, Map<String, Object> params, boolean dryRun) throws Exception {
        var action = new Neo4jActions(driver).actions().get(0);
        ActionResult r = action.execute(TestActionContext.builder(action).incident(incident)
                .params(action.schema().apply(params)).dryRun(dryRun).build());
        return r.output().orElseThrow();
    }

    @Test
    void theSeedQueryIsBoundFromTheIncidentAndReturnsItsColumns(Driver driver) throws Exception {
        RcaGraph g = RcaGraph.create(driver, p);
        Incident incident = Neo4jIncidentLoader.builder().driver(driver).build().load(g.symptom);
        assertThat(run(driver, incident, Map.of("query", SEED_QUERY), false)).isEqualTo(Map.of("new_failures", 0L));
        // a failure within 5 minutes does not count, one after does; the dry run runs the query too
        g.addFailureAfter(driver, "early", "CrashLoopBackOff", 3);
        g.addFailureAfter(driver, "late", "OOMKilled", 12);
        assertThat(run(driver, incident, Map.of("query", SEED_QUERY), true)).isEqualTo(Map.of("new_failures", 1L));
    }

    @Test
    void severalRowsGiveRowsAndTheFirstRowsColumns(Driver driver) throws Exception {
        RcaGraph g = RcaGraph.create(driver, p);
        Incident incident = Neo4jIncidentLoader.builder().driver(driver).build().load(g.symptom);
        Object out = run(driver, incident, Map.of("query", """
                MATCH (c:Episodic)-[r:POTENTIAL_CAUSE]->(:Episodic {eid: $incident_id})
                RETURN c.reason AS reason, r.confidence AS confidence ORDER BY confidence DESC
                """), false);
        assertThat(out).isEqualTo(Map.of("reason", "OOMKilled", "confidence", 0.92, "rows", List.of(
                Map.of("reason", "OOMKilled", "confidence", 0.92),
                Map.of("reason", "ImagePullBackOff", "confidence", 0.40))));
        assertThat(run(driver, incident, Map.of("query", "MATCH (n:Episodic {eid: $x}) RETURN n.reason AS reason",
                "params", Map.of("x", "none")), false)).isEqualTo(Map.of("rows", List.of()));
    }

    @Test
    void paramsCarryValuesAndOverrideTheBoundOnes(Driver driver) throws Exception {
        RcaGraph g = RcaGraph.create(driver, p);
        Incident incident = Neo4jIncidentLoader.builder().driver(driver).build().load(g.symptom);
        String hostile = "x'}) DETACH DELETE n //";
        Object out = run(driver, incident, Map.of("query",
                "OPTIONAL MATCH (r:Resource {name: $pod}) RETURN count(r) AS pods, $incident_id AS id, $evil AS evil",
                "params", Map.of("pod", g.pod, "incident_id", "override", "evil", hostile)), false);
        assertThat(out).isEqualTo(Map.of("pods", 1L, "id", "override", "evil", hostile));
    }

    @Test
    void aQueryThatWritesIsRefusedByTheReadTransaction(Driver driver) throws Exception {
        RcaGraph g = RcaGraph.create(driver, p);
        Incident incident = Neo4jIncidentLoader.builder().driver(driver).build().load(g.symptom);
        assertThatThrownBy(() -> run(driver, incident, Map.of("query",
                "CREATE (:Episodic {eid: $incident_id + '-written'}) RETURN 1 AS one"), false))
                .isInstanceOf(ActionException.class)
                .hasMessageStartingWith("check_neo4j step 'step-1': CREATE (plan operator Create) is refused: the "
                        + "query writes to the graph, but check_neo4j only reads")
                .satisfies(e -> assertThat(((ActionException) e).retryable()).isFalse());
        try (var s = driver.session()) {
            assertThat(s.run("MATCH (e:Episodic {eid: $eid}) RETURN count(e) AS n", Map.of("eid", g.symptom + "-written"))
                    .single().get("n").asLong()).isZero();
        }
    }

    @Test
    void incidentTimeMustExistWhenTheQueryUsesIt(Driver driver) {
        Incident noTime = TestActionContext.sampleIncident();
        Incident stripped = Incident.builder(noTime.incidentId()).symptomReason("CrashLoopBackOff")
                .rootCause("OOMKilled", 0.92).resource(noTime.resource()).build();
        assertThatThrownBy(() -> run(driver, stripped, Map.of("query", SEED_QUERY), false))
                .hasMessage("check_neo4j step 'step-1': the query uses $incident_time but incident '"
                        + noTime.incidentId() + "' has no event time");
    }

    @Test
    void anUnconfiguredServiceLoadedProviderSaysWhatToSet() {
        var action = new Neo4jActions().actions().get(0);
        System.clearProperty("runbook.neo4j.uri");
        assertThatThrownBy(() -> action.execute(TestActionContext.builder(action)
                .params(Map.of("query", "RETURN 1 AS one")).build()))
                .isInstanceOf(ActionException.class)
                .hasMessageContaining("check_neo4j has no Neo4j connection: set RUNBOOK_NEO4J_URI");
    }

    @Test
    void aServiceLoadedProviderConnectsThroughSystemProperties(Driver driver, org.neo4j.harness.Neo4j neo4j) throws Exception {
        System.setProperty("runbook.neo4j.uri", neo4j.boltURI().toString());
        try (var actions = new Neo4jActions()) {
            var action = actions.actions().get(0);
            assertThat(action.execute(TestActionContext.builder(action).params(Map.of("query", "RETURN 41 + 1 AS answer"))
                    .build()).output()).hasValue(Map.of("answer", 42L));
        } finally {
            System.clearProperty("runbook.neo4j.uri");
        }
    }

    // ---- through the engine: a failing expect fails the step and triggers rollback ----

    private static Runbook runbook(String query) {
        return Runbook.builder("oom-verify").version("3")
                .trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().dryRunFirst(true).build())
                .step(ActionStep.builder("Increase memory", "bump_memory").build())
                .step(ActionStep.builder("Verify incident resolved", "check_neo4j").param("query", query)
                        .expect("new_failures == 0").build())
                .rollbackStep(ActionStep.builder("Revert memory change", "revert_memory").build())
                .build();
    }

    private RunbookEngine engine(Driver driver, Runbook rb, TestAction bump, TestAction revert) {
        return RunbookEngine.builder().discoverActions(false).clock(new TestClock()).runbook(rb)
                .actionProvider(new Neo4jActions(driver)).actions(bump, revert).build();
    }

    @Test
    void aPassingCheckLetsTheExecutionSucceed(Driver driver) {
        RcaGraph g = RcaGraph.create(driver, p);
        var bump = new TestAction("bump_memory");
        var revert = new TestAction("revert_memory");
        try (RunbookEngine engine = engine(driver, runbook(SEED_QUERY), bump, revert)) {
            Execution e = engine.handle(Neo4jIncidentLoader.builder().driver(driver).build().load(g.symptom));
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.dryRunSteps()).extracting(StepResult::status)
                    .containsExactly(StepStatus.SUCCEEDED, StepStatus.SUCCEEDED);
            assertThat(e.step("Verify incident resolved").orElseThrow().output()).hasValue(Map.of("new_failures", 0L));
            assertThat(bump.realCalls).containsExactly(g.symptom);
            assertThat(revert.realCalls).isEmpty();
        }
    }

    @Test
    void aFailingCheckFailsTheStepAndRollsBack(Driver driver) {
        RcaGraph g = RcaGraph.create(driver, p);
        // the remediation "does not help": the pod is OOMKilled again 12 minutes later
        var bump = new TestAction("bump_memory", ctx -> g.addFailureAfter(driver, "again", "OOMKilled", 12));
        var revert = new TestAction("revert_memory");
        try (RunbookEngine engine = engine(driver, runbook(SEED_QUERY), bump, revert)) {
            Execution e = engine.handle(Neo4jIncidentLoader.builder().driver(driver).build().load(g.symptom));
            assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(e.error()).hasValue("step 'Verify incident resolved' failed: expect 'new_failures == 0' was false "
                    + "(result: {new_failures=1})");
            assertThat(e.step("Verify incident resolved").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
            assertThat(revert.realCalls).containsExactly(g.symptom);
            assertThat(e.rollbackSteps()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(StepStatus.SUCCEEDED));
        }
    }

    @Test
    void aTemplateInTheQueryTextIsRefusedBeforeAnythingChanges(Driver driver) {
        RcaGraph g = RcaGraph.create(driver, p);
        var bump = new TestAction("bump_memory");
        var revert = new TestAction("revert_memory");
        Runbook rb = runbook("MATCH (r:Resource {name: '{{ incident.resource.name }}'}) RETURN count(r) AS new_failures");
        try (RunbookEngine engine = engine(driver, rb, bump, revert)) {
            Execution e = engine.handle(Neo4jIncidentLoader.builder().driver(driver).build().load(g.symptom));
            assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(e.denial().orElseThrow().reason()).contains(
                    "query text must not contain templates; pass values as params");
            assertThat(bump.realCalls).isEmpty();
        }
    }
}
