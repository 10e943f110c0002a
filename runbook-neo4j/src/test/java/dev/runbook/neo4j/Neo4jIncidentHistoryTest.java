package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.backtest.HistoricalIncident;
import dev.runbook.core.backtest.RecordedExecution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/** The incident history read back from the RCA graph and the real audit trail, in event-time order, page by page. */
@Neo4jTest
class Neo4jIncidentHistoryTest {
    /** Far from other tests' events, which share the database. */
    private static final Instant FROM = Instant.parse("2031-01-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2031-02-01T00:00:00Z");
    private final String p = "hist-" + UUID.randomUUID() + "-";

    private record Row(String eid, int minute) {
    }

    @Test
    void streamsEveryExplainedIncidentOldestFirstWithWhatTheAuditRecorded(Driver driver) throws Exception {
        var rows = new ArrayList<Row>();
        for (int i = 0; i < 23; i++) {
            rows.add(new Row(p + String.format("e%02d", i), i * 7));
        }
        rows.add(new Row(p + "tie-b", 70)); // same time as e10: ordered by id after it
        rows.add(new Row(p + "tie-a", 70));
        var shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(7));
        try (var s = driver.session()) {
            for (Row r : shuffled) {
                s.run("""
                        MERGE (pod:Resource {rid: $p + 'pod:' + $eid}) SET pod.kind = 'Pod', pod.name = $eid, pod.ns = 'default'
                        CREATE (sym:Episodic {eid: $eid, reason: 'CrashLoopBackOff',
                                              event_time: datetime($from) + duration({minutes: $m})})-[:ABOUT]->(pod)
                        CREATE (:Episodic {eid: $eid + '-cause', reason: 'OOMKilled'})-[:POTENTIAL_CAUSE {confidence: 0.9}]->(sym)
                        """, Map.of("p", p, "eid", r.eid(), "m", r.minute(), "from", FROM.toString())).consume();
            }
            // not incidents of this window: no cause, no resource, before it, a text time, after it
            s.run("""
                    CREATE (pod:Resource {rid: $p + 'pod:x', kind: 'Pod', name: 'x', ns: 'default'})
                    CREATE (:Episodic {eid: $p + 'no-cause', reason: 'BackOff', event_time: datetime($from)})-[:ABOUT]->(pod)
                    CREATE (:Episodic {eid: $p + 'c1'})-[:POTENTIAL_CAUSE {confidence: 0.9}]->
                           (:Episodic {eid: $p + 'no-resource', event_time: datetime($from)})
                    CREATE (:Episodic {eid: $p + 'c2'})-[:POTENTIAL_CAUSE {confidence: 0.9}]->
                           (:Episodic {eid: $p + 'before', event_time: datetime($from) - duration({minutes: 1})})-[:ABOUT]->(pod)
                    CREATE (:Episodic {eid: $p + 'c3'})-[:POTENTIAL_CAUSE {confidence: 0.9}]->
                           (:Episodic {eid: $p + 'text-time', event_time: $from})-[:ABOUT]->(pod)
                    CREATE (:Episodic {eid: $p + 'c4'})-[:POTENTIAL_CAUSE {confidence: 0.9}]->
                           (:Episodic {eid: $p + 'after', event_time: datetime($until)})-[:ABOUT]->(pod)
                    """, Map.of("p", p, "from", FROM.toString(), "until", UNTIL.toString())).consume();
        }
        // what really happened, written by the real audit trail: one run, one denial, one plan (left out)
        var loader = Neo4jIncidentLoader.builder().driver(driver).build();
        Runbook rb = Runbook.builder(p + "oom").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("fix", "fix_it").build()).build();
        try (var trail = Neo4jAuditTrail.builder().driver(driver).build();
             var engine = RunbookEngine.builder().discoverActions(false).clock(new TestClock(FROM.plusSeconds(3600)))
                     .runbook(rb).actions(new TestAction("fix_it")).listener(trail).build()) {
            assertThat(engine.handle(loader.load(p + "e03")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            engine.killSwitch().engage("freeze");
            assertThat(engine.handle(loader.load(p + "e04")).status()).isEqualTo(ExecutionStatus.DENIED);
            engine.killSwitch().release();
            assertThat(engine.plan(loader.load(p + "e05")).status()).isEqualTo(ExecutionStatus.PLANNED);
            assertThat(trail.flush(Duration.ofSeconds(30))).isTrue();
        }

        var history = Neo4jIncidentHistory.builder().driver(driver).pageSize(4).build();
        List<HistoricalIncident> read = history.between(FROM, UNTIL).toList();

        var expected = new ArrayList<>(rows);
        expected.sort(Comparator.comparingInt(Row::minute).thenComparing(Row::eid));
        assertThat(read).extracting(h -> h.incident().incidentId())
                .containsExactlyElementsOf(expected.stream().map(Row::eid).toList());
        assertThat(read).allSatisfy(h -> assertThat(h.incident().rootCauseReason()).isEqualTo("OOMKilled"));
        assertThat(read.get(3).incident().eventTime()).hasValue(FROM.plus(Duration.ofMinutes(21)));
        assertThat(read.get(3).recorded()).singleElement().satisfies(r -> {
            assertThat(r.runbookId()).isEqualTo(p + "oom");
            assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(r.deniedBy()).isEmpty();
            assertThat(r.executedAt()).isEqualTo(FROM.plusSeconds(3600));
        });
        assertThat(read.get(4).recorded()).extracting(RecordedExecution::status, RecordedExecution::deniedBy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ExecutionStatus.DENIED, Optional.of("enabled")));
        assertThat(read.get(5).recorded()).isEmpty(); // the plan changed nothing
        assertThat(read.stream().filter(h -> !h.recorded().isEmpty())).hasSize(2);

        // without the audit; and since() has no upper bound
        assertThat(Neo4jIncidentHistory.builder().driver(driver).audit(false).build().between(FROM, UNTIL)
                .filter(h -> !h.recorded().isEmpty())).isEmpty();
        assertThat(history.since(FROM).map(h -> h.incident().incidentId()).filter(id -> id.startsWith(p)))
                .hasSize(rows.size() + 1).last().isEqualTo(p + "after");
    }

    @Test
    void refusesBadArguments(Driver driver) {
        assertThatThrownBy(() -> Neo4jIncidentHistory.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("driver(...)");
        assertThatThrownBy(() -> Neo4jIncidentHistory.builder().pageSize(0)).hasMessageContaining("pageSize");
        var history = Neo4jIncidentHistory.builder().driver(driver).build();
        assertThatThrownBy(() -> history.between(UNTIL, FROM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be after since");
    }
}
