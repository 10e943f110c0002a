package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

/**
 * Two replicas of a host (two engines, each with its own driver and Neo4jGuardStore) on one database:
 * 500 concurrent incidents, each for its own pod, against max_executions_per_hour 5: exactly 5 run in total.
 */
@Neo4jTest
class TwoEnginesSharedGuardsTest {

    @Test
    @Timeout(300)
    void fiveHundredIncidentsOnTwoEnginesGiveExactlyFiveExecutions(Neo4j neo4j) throws Exception {
        String p = "two-" + UUID.randomUUID() + "-";
        Runbook rb = Runbook.builder(p + "oom").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().maxExecutionsPerHour(5).dryRunFirst(true).build())
                .step(ActionStep.builder("bump", "bump_memory").build()).build();
        TestAction bumpA = new TestAction("bump_memory");
        TestAction bumpB = new TestAction("bump_memory");
        TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
        try (Driver da = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
             Driver db = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
             RunbookEngine a = RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb).actions(bumpA)
                     .guardStore(Neo4jGuardStore.builder().driver(da).build()).build();
             RunbookEngine b = RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb).actions(bumpB)
                     .guardStore(Neo4jGuardStore.builder().driver(db).build()).build()) {
            int n = 500;
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            var results = new ConcurrentLinkedQueue<Execution>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                RunbookEngine engine = i % 2 == 0 ? a : b;
                Incident incident = Incident.builder(p + "incident-" + i).symptomReason("CrashLoopBackOff")
                        .rootCause("OOMKilled", 0.92).resource("Pod", "default", p + "pod-" + i).build();
                Thread t = new Thread(() -> {
                    ready.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    results.add(engine.handle(incident));
                });
                t.start();
                threads.add(t);
            }
            ready.await();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }

            Map<ExecutionStatus, Long> byStatus = results.stream()
                    .collect(Collectors.groupingBy(Execution::status, Collectors.counting()));
            assertThat(results).hasSize(n);
            assertThat(byStatus).containsOnlyKeys(ExecutionStatus.SUCCEEDED, ExecutionStatus.DENIED);
            assertThat(byStatus.get(ExecutionStatus.SUCCEEDED)).isEqualTo(5);
            assertThat(bumpA.realCalls.size() + bumpB.realCalls.size()).isEqualTo(5);
            assertThat(results).filteredOn(e -> e.status() == ExecutionStatus.DENIED)
                    .allSatisfy(e -> assertThat(e.denial().orElseThrow().reason())
                            .isEqualTo("max_executions_per_hour 5 for runbook " + p + "oom reached: 5 in the last 1h"));
            // and the database agrees: five counted events for the runbook
            try (var s = da.session()) {
                assertThat(s.run("MATCH (g:RunbookGuardKey {key: $k}) RETURN size(g.times) AS n", Map.of("k", "runbook:" + p + "oom"))
                        .single().get("n").asLong()).isEqualTo(5);
            }
        }
    }
}
