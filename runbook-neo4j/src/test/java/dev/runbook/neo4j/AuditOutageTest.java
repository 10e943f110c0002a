package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

/**
 * Neo4j becomes unreachable in the middle of a run: the audit trail's driver talks to the harness through a
 * {@link TcpRelay} that the test cuts (every connection reset, new ones refused) and restores. A real network
 * fault, no mock.
 */
@Neo4jTest
class AuditOutageTest {
    private final String p = "outage-" + UUID.randomUUID() + "-";
    private TcpRelay relay;
    private Driver relayed;

    @BeforeEach
    void relay(Neo4j neo4j) throws Exception {
        relay = new TcpRelay(neo4j.boltURI().getHost(), neo4j.boltURI().getPort());
        relayed = GraphDatabase.driver("bolt://127.0.0.1:" + relay.port(), AuthTokens.none(), Config.builder()
                .withConnectionTimeout(1, java.util.concurrent.TimeUnit.SECONDS)
                .withMaxTransactionRetryTime(300, java.util.concurrent.TimeUnit.MILLISECONDS)
                .withConnectionAcquisitionTimeout(2, java.util.concurrent.TimeUnit.SECONDS)
                .build());
    }

    @AfterEach
    void close() throws Exception {
        relayed.close();
        relay.close();
    }

    private RunbookEngine engine(Neo4jAuditTrail trail) {
        return RunbookEngine.builder().discoverActions(false).clock(new TestClock(Instant.parse("2025-06-01T00:00:00Z")))
                .runbook(Runbook.builder(p + "rb").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                        .step(ActionStep.builder("bump", "bump_memory").build()).build())
                .actions(new TestAction("bump_memory")).listener(trail).build();
    }

    private Incident incident(int i) {
        return Incident.builder(p + "incident-" + i).symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource("Pod", "default", p + "pod-" + i).build();
    }

    private static long recorded(Driver direct, String runbookId) {
        try (var s = direct.session()) {
            return s.run("""
                    MATCH (e:RunbookExecution {runbook_id: $rb})-[:HAS_STEP]->(:RunbookStep {phase: 'real'})
                    MATCH (e)-[:FOR_INCIDENT]->(:Episodic)
                    RETURN count(DISTINCT e) AS n""", Map.of("rb", runbookId)).single().get("n").asLong();
        }
    }

    /** Polls a real external process with a deadline (no sleeping for fixed times). */
    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition within %s", timeout).isNegative();
            Thread.sleep(10);
        }
    }

    @Test
    void nothingRecordedIsLostWhenNeo4jGoesAwayMidRunAndComesBack(Driver direct) throws Exception {
        var ids = new ArrayList<String>();
        Neo4jAuditTrail trail = Neo4jAuditTrail.builder().driver(relayed).batchSize(4)
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
        try (RunbookEngine engine = engine(trail)) {
            for (int i = 0; i < 10; i++) {
                ids.add(engine.handle(incident(i)).id());
            }
            assertThat(trail.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(recorded(direct, p + "rb")).isEqualTo(10);

            relay.cut();
            for (int i = 10; i < 25; i++) {
                Execution e = engine.handle(incident(i));
                assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
                ids.add(e.id());
            }
            // the writer is failing against the cut network, and keeps everything buffered
            awaitTrue(() -> trail.failedAttempts() >= 2, Duration.ofSeconds(30));
            assertThat(trail.flush(Duration.ofMillis(200))).isFalse();
            assertThat(trail.pending()).isEqualTo(15);
            assertThat(recorded(direct, p + "rb")).isEqualTo(10);

            relay.restore();
            for (int i = 25; i < 40; i++) {
                ids.add(engine.handle(incident(i)).id());
            }
        } finally {
            // close flushes what is left
            trail.close();
        }
        assertThat(trail.pending()).isZero();
        assertThat(trail.dropped()).isZero();
        assertThat(recorded(direct, p + "rb")).isEqualTo(40);
        try (var s = direct.session()) {
            List<String> stored = s.run("MATCH (e:RunbookExecution {runbook_id: $rb}) RETURN e.id AS id",
                    Map.of("rb", p + "rb")).list(r -> r.get("id").asString());
            assertThat(stored).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void aFullBufferDropsTheOldestAndCountsIt(Driver direct) throws Exception {
        relay.cut();
        var ids = new ArrayList<String>();
        try (Neo4jAuditTrail trail = Neo4jAuditTrail.builder().driver(relayed).capacity(5)
                .offerTimeout(Duration.ofMillis(50)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).build();
             RunbookEngine engine = engine(trail)) {
            for (int i = 0; i < 8; i++) {
                ids.add(engine.handle(incident(i)).id());
            }
            assertThat(trail.dropped()).isEqualTo(3);
            assertThat(trail.pending()).isEqualTo(5);
            relay.restore();
            assertThat(trail.flush(Duration.ofSeconds(30))).isTrue();
        }
        try (var s = direct.session()) {
            List<String> stored = s.run("MATCH (e:RunbookExecution {runbook_id: $rb}) RETURN e.id AS id",
                    Map.of("rb", p + "rb")).list(r -> r.get("id").asString());
            // the five newest are there; an oldest one may also be, if its write was in flight when it was dropped
            assertThat(stored).containsAll(ids.subList(3, 8));
            assertThat(stored.size()).isBetween(5, 6);
        }
    }
}
