package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.Outcomes;
import dev.runbook.core.match.Ranking;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/** Outcome-aware choice over an audit history written by {@link Neo4jAuditTrail}, then ranked by the engine. */
@Neo4jTest
class Neo4jOutcomeHistoryTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final String p = "out-" + UUID.randomUUID() + "-";
    private final TestClock clock = new TestClock(NOW);
    private final AtomicInteger seq = new AtomicInteger();
    /** Reads wait long here: a loaded CI machine plans the first query slowly (the default is 5 s). */
    private static final Duration LOADED = Duration.ofMinutes(1);

    private Incident incident(String reason, String kind) {
        return Incident.builder(p + "inc-" + seq.incrementAndGet()).symptomReason("CrashLoopBackOff")
                .rootCause(reason, 0.9).resource(kind, "default", "web-" + seq.get()).build();
    }

    /** A finished execution as the engine records it (only the fields the history reads matter here). */
    private Execution execution(String runbookId, ExecutionStatus status, Incident incident, Instant at) {
        return new Execution(p + "exec-" + seq.incrementAndGet(), runbookId, "1", incident.incidentId(), status,
                new MatchReport(incident, List.of(), List.of()), List.of(), Optional.empty(), List.of(), List.of(),
                List.of(), List.of(), List.of(), Optional.empty(), "seed", at, at);
    }

    /** Writes {@code ok} succeeded and {@code runs - ok} rolled-back executions through the audit trail. */
    private void seed(Neo4jAuditTrail trail, String runbookId, int ok, int runs, String reason, String kind,
                      Instant at) {
        for (int i = 0; i < runs; i++) {
            trail.executionFinished(execution(runbookId, i < ok ? ExecutionStatus.SUCCEEDED
                    : ExecutionStatus.ROLLED_BACK, incident(reason, kind), at));
        }
    }

    private static Runbook runbook(String id) {
        return Runbook.builder(id).trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("fix", "fix").build()).build();
    }

    private RunbookEngine engine(Driver driver, Runbook... runbooks) {
        var b = RunbookEngine.builder().discoverActions(false).clock(clock).actions(new TestAction("fix"))
                .ranking(Ranking.OUTCOME)
                .outcomeHistory(Neo4jOutcomeHistory.builder().driver(driver).clock(clock).readTimeout(LOADED).build());
        for (Runbook r : runbooks) {
            b.runbook(r);
        }
        return b.build();
    }

    @Test
    void theBetterRecordForThisRootCauseAndKindIsChosen(Driver driver) throws Exception {
        String raise = p + "raise-memory";
        String restart = p + "restart-pod";
        try (var trail = Neo4jAuditTrail.builder().driver(driver).build()) {
            Instant recent = NOW.minus(Duration.ofDays(2));
            seed(trail, raise, 3, 6, "OOMKilled", "Pod", recent);
            seed(trail, restart, 9, 10, "OOMKilled", "Pod", recent);
            // none of these count: another root cause, another kind, too old, refused, cancelled
            seed(trail, restart, 0, 8, "ImagePullBackOff", "Pod", recent);
            seed(trail, restart, 0, 8, "OOMKilled", "Deployment", recent);
            seed(trail, restart, 0, 8, "OOMKilled", "Pod", NOW.minus(Duration.ofDays(91)));
            trail.executionFinished(execution(restart, ExecutionStatus.DENIED, incident("OOMKilled", "Pod"), recent));
            trail.executionFinished(execution(restart, ExecutionStatus.CANCELLED, incident("OOMKilled", "Pod"), recent));
            assertThat(trail.flush(Duration.ofMinutes(2))).isTrue();
        }
        var history = Neo4jOutcomeHistory.builder().driver(driver).clock(clock).readTimeout(LOADED).build();
        assertThat(history.outcomes(List.of(raise, restart, p + "never-ran"), "OOMKilled", "Pod"))
                .containsOnlyKeys(raise, restart)
                .containsEntry(raise, new Outcomes(3, 6)).containsEntry(restart, new Outcomes(9, 10));

        try (var engine = engine(driver, runbook(raise), runbook(restart))) {
            Execution e = engine.handle(incident("OOMKilled", "Pod"));
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.runbookId()).isEqualTo(restart);
            assertThat(e.match().choice()).hasValue("chosen over " + raise + ": 9/10 succeeded vs 3/6");
        }
        // the prior keeps a new runbook in play against a record of 3/6 only as a tie, which the trigger order breaks
        try (var engine = engine(driver, runbook(raise), runbook(p + "zz-new"))) {
            Execution e = engine.handle(incident("OOMKilled", "Pod"));
            assertThat(e.runbookId()).isEqualTo(raise);
            assertThat(e.match().choice().orElseThrow()).startsWith("chosen over " + p + "zz-new by trigger order");
        }
    }

    @Test
    void aNewRunbookIsPreferredToOneThatFailsMoreOftenThanNot(Driver driver) throws Exception {
        String old = p + "a-restart-pod";
        String fresh = p + "b-raise-memory-v2";
        try (var trail = Neo4jAuditTrail.builder().driver(driver).build()) {
            seed(trail, old, 2, 7, "OOMKilled", "Pod", NOW.minus(Duration.ofHours(1)));
            assertThat(trail.flush(Duration.ofMinutes(2))).isTrue();
        }
        try (var engine = engine(driver, runbook(old), runbook(fresh))) {
            Execution e = engine.handle(incident("OOMKilled", "Pod"));
            assertThat(e.runbookId()).isEqualTo(fresh);
            assertThat(e.match().choice()).hasValue("chosen over " + old + ": 0/0 succeeded vs 2/7 (" + fresh
                    + " has under 5 executions: scored as new, 1/2)");
        }
    }

    @Test
    void answersAreCachedForTheirTtl(Driver driver) throws Exception {
        String rb = p + "cached";
        var history = Neo4jOutcomeHistory.builder().driver(driver).clock(clock).readTimeout(LOADED).cacheFor(Duration.ofMinutes(1)).build();
        try (var trail = Neo4jAuditTrail.builder().driver(driver).build()) {
            seed(trail, rb, 1, 1, "OOMKilled", "Pod", NOW);
            assertThat(trail.flush(Duration.ofMinutes(2))).isTrue();
            assertThat(history.outcomes(List.of(rb), "OOMKilled", "Pod")).containsEntry(rb, new Outcomes(1, 1));
            seed(trail, rb, 0, 1, "OOMKilled", "Pod", NOW);
            assertThat(trail.flush(Duration.ofMinutes(2))).isTrue();
        }
        assertThat(history.outcomes(List.of(rb), "OOMKilled", "Pod")).containsEntry(rb, new Outcomes(1, 1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(history.outcomes(List.of(rb), "OOMKilled", "Pod")).containsEntry(rb, new Outcomes(1, 2));
    }

    @Test
    void noMatchAndSingleMatchNeverReachTheDatabase() throws Exception {
        int dead;
        try (var s = new ServerSocket(0)) {
            dead = s.getLocalPort(); // closed again: connecting is refused, a real outage on loopback
        }
        try (Driver down = GraphDatabase.driver("bolt://127.0.0.1:" + dead, AuthTokens.none(),
                Config.builder().withConnectionTimeout(2, java.util.concurrent.TimeUnit.SECONDS).build());
             var engine = RunbookEngine.builder().discoverActions(false).clock(clock).actions(new TestAction("fix"))
                     .runbook(runbook(p + "only")).runbook(Runbook.builder(p + "image")
                             .trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").build())
                             .step(ActionStep.builder("fix", "fix").build()).build())
                     .ranking(Ranking.OUTCOME)
                     .outcomeHistory(Neo4jOutcomeHistory.builder().driver(down).clock(clock).build()).build()) {
            assertThat(engine.handle(incident("NodeNotReady", "Node")).status()).isEqualTo(ExecutionStatus.NO_MATCH);
            Execution one = engine.handle(incident("OOMKilled", "Pod"));
            assertThat(one.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(one.match().choice()).isEmpty();
        }
        try (Driver down = GraphDatabase.driver("bolt://127.0.0.1:" + dead, AuthTokens.none(),
                Config.builder().withConnectionTimeout(2, java.util.concurrent.TimeUnit.SECONDS).build());
             var engine = RunbookEngine.builder().discoverActions(false).clock(clock).actions(new TestAction("fix"))
                     .runbook(runbook(p + "a")).runbook(runbook(p + "b")).ranking(Ranking.OUTCOME)
                     .outcomeHistory(Neo4jOutcomeHistory.builder().driver(down).clock(clock).build()).build()) {
            // two match: the history is read, fails, and the trigger order stands
            Execution e = engine.handle(incident("OOMKilled", "Pod"));
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.runbookId()).isEqualTo(p + "a");
            assertThat(e.match().choice().orElseThrow()).startsWith("outcome history unavailable");
        }
        assertThatThrownBy(() -> Neo4jOutcomeHistory.builder().build()).hasMessageContaining("needs a driver");
    }
}
