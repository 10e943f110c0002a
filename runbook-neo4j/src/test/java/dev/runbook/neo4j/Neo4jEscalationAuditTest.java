package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/** An escalation chain in the audit graph: each execution recorded, linked by ESCALATED_TO. */
@Neo4jTest
class Neo4jEscalationAuditTest {
    private final String p = "esc-" + UUID.randomUUID() + "-";

    private static Trigger oom() {
        return Trigger.builder().rootCauseReason("OOMKilled").build();
    }

    @Test
    void theChainIsRecordedWithItsLinks(Driver driver) throws Exception {
        var fix = new TestAction("fix");
        var undo = new TestAction("undo");
        // a remediation that fails for real (dry runs pass): the cheap fix does not do it
        var tooSmall = new Action() {
            @Override
            public String name() {
                return "too_small";
            }

            @Override
            public String description() {
                return "a memory bump that is not enough";
            }

            @Override
            public ParamSchema schema() {
                return ParamSchema.open();
            }

            @Override
            public boolean mutating() {
                return true;
            }

            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                if (ctx.dryRun()) {
                    return ActionResult.empty();
                }
                throw ActionException.permanent("limit still too small");
            }
        };
        Runbook cheap = Runbook.builder(p + "a-cheap").trigger(oom())
                .step(ActionStep.builder("bump", "too_small").onFailure(OnFailure.ESCALATE).build())
                .rollbackStep(ActionStep.builder("revert", "undo").build()).build();
        Runbook bigger = Runbook.builder(p + "b-bigger").trigger(oom())
                .step(ActionStep.builder("move", "fix").build()).build();
        Incident incident = Incident.builder(p + "inc").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource("Pod", "default", "web").build();
        Execution e;
        try (var trail = Neo4jAuditTrail.builder().driver(driver).build();
             var engine = RunbookEngine.builder().discoverActions(false)
                     .clock(new TestClock(Instant.parse("2026-03-01T12:00:00Z")))
                     .runbook(cheap).runbook(bigger).actions(fix, undo, tooSmall).listener(trail).build()) {
            e = engine.handle(incident);
            assertThat(trail.flush(Duration.ofMinutes(2))).isTrue();
            assertThat(trail.written()).isEqualTo(2);
        }
        assertThat(e.chain()).extracting(Execution::status)
                .containsExactly(ExecutionStatus.ROLLED_BACK, ExecutionStatus.SUCCEEDED);
        assertThat(undo.realCalls).containsExactly(p + "inc");
        assertThat(fix.realCalls).containsExactly(p + "inc");

        try (var s = driver.session()) {
            var r = s.run("""
                    MATCH (a:RunbookExecution {id: $id})-[:ESCALATED_TO]->(b:RunbookExecution)
                    MATCH (b)-[:FOR_INCIDENT]->(i:Episodic)
                    RETURN a.runbook_id AS a, a.status AS a_status, a.escalated_to AS link, a.error AS error,
                           a.resource_kind AS kind, b.id AS b_id, b.runbook_id AS b, b.status AS b_status, i.eid AS eid,
                           COUNT { (b)-[:ESCALATED_TO]->() } AS onward,
                           [(a)-[:HAS_STEP]->(st {phase: 'rollback'}) | st.name] AS rollback
                    """, Map.of("id", e.id())).single();
            assertThat(r.get("a").asString()).isEqualTo(p + "a-cheap");
            assertThat(r.get("a_status").asString()).isEqualTo("rolled_back");
            assertThat(r.get("link").asString()).isEqualTo(e.escalatedTo().orElseThrow().id()).isEqualTo(r.get("b_id").asString());
            assertThat(r.get("error").asString()).endsWith("escalated to runbook " + p + "b-bigger");
            assertThat(r.get("kind").asString()).isEqualTo("Pod");
            assertThat(r.get("b").asString()).isEqualTo(p + "b-bigger");
            assertThat(r.get("b_status").asString()).isEqualTo("succeeded");
            assertThat(r.get("eid").asString()).isEqualTo(p + "inc");
            assertThat(r.get("onward").asLong()).isZero();
            assertThat(r.get("rollback").asList()).isEqualTo(List.of("revert"));
        }
    }
}
