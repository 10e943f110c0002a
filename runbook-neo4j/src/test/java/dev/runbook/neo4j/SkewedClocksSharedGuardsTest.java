package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Clock;
import java.time.Duration;
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
 * Two replicas whose clocks are an hour apart (one engine on the system clock, the other an hour ahead), each with
 * its own driver and store, on one database, running a runbook with max_executions_per_hour 5. With the database
 * clock (the default) they count exactly; with the request's time the skew shifts their windows apart and the
 * limit is granted twice over, which shows the skew is real and this test could fail.
 */
@Neo4jTest
class SkewedClocksSharedGuardsTest {
    private static final Clock AHEAD = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

    /** Two engines sharing the guard state of one database, their clocks an hour apart. */
    private record Replicas(RunbookEngine onTime, RunbookEngine ahead, TestAction actionsOnTime, TestAction actionsAhead,
                            Driver d1, Driver d2, Runbook runbook) implements AutoCloseable {
        static Replicas start(Neo4j neo4j, Neo4jGuardStore.TimeSource time) {
            Runbook rb = Runbook.builder("skew-" + UUID.randomUUID() + "-oom")
                    .trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                    .safety(Safety.builder().maxExecutionsPerHour(5).build())
                    .step(ActionStep.builder("bump", "bump_memory").build()).build();
            Driver d1 = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
            Driver d2 = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
            TestAction a1 = new TestAction("bump_memory");
            TestAction a2 = new TestAction("bump_memory");
            RunbookEngine e1 = RunbookEngine.builder().discoverActions(false).clock(Clock.systemUTC()).runbook(rb)
                    .actions(a1).guardStore(Neo4jGuardStore.builder().driver(d1).timeSource(time).build()).build();
            RunbookEngine e2 = RunbookEngine.builder().discoverActions(false).clock(AHEAD).runbook(rb)
                    .actions(a2).guardStore(Neo4jGuardStore.builder().driver(d2).timeSource(time).build()).build();
            return new Replicas(e1, e2, a1, a2, d1, d2, rb);
        }

        Incident incident(int i) {
            return Incident.builder(runbook.id() + "-incident-" + i).symptomReason("CrashLoopBackOff")
                    .rootCause("OOMKilled", 0.92).resource("Pod", "default", runbook.id() + "-pod-" + i).build();
        }

        int realCalls() {
            return actionsOnTime.realCalls.size() + actionsAhead.realCalls.size();
        }

        long countedTimes() {
            try (var s = d1.session()) {
                return s.run("MATCH (g:RunbookGuardKey {key: $k}) RETURN size(g.times) AS n", Map.of("k", "runbook:" + runbook.id()))
                        .single().get("n").asLong();
            }
        }

        /** The on-time replica handles ten incidents, then the replica an hour ahead handles ten more. */
        int oneAfterTheOther() {
            for (int i = 0; i < 20; i++) {
                (i < 10 ? onTime : ahead).handle(incident(i));
            }
            return realCalls();
        }

        @Override
        public void close() {
            onTime.close();
            ahead.close();
            d1.close();
            d2.close();
        }
    }

    @Test
    @Timeout(300)
    void manyConcurrentIncidentsAcrossSkewedReplicasGiveExactlyFive(Neo4j neo4j) throws Exception {
        try (Replicas r = Replicas.start(neo4j, Neo4jGuardStore.TimeSource.DATABASE)) {
            int n = 200;
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            var results = new ConcurrentLinkedQueue<Execution>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                RunbookEngine engine = i % 2 == 0 ? r.onTime() : r.ahead();
                Incident incident = r.incident(i);
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
            var byStatus = results.stream().collect(Collectors.groupingBy(Execution::status, Collectors.counting()));
            assertThat(byStatus).containsOnlyKeys(ExecutionStatus.SUCCEEDED, ExecutionStatus.DENIED);
            assertThat(byStatus.get(ExecutionStatus.SUCCEEDED)).isEqualTo(5);
            assertThat(r.realCalls()).isEqualTo(5);
            assertThat(r.countedTimes()).isEqualTo(5);
            assertThat(results).filteredOn(e -> e.status() == ExecutionStatus.DENIED)
                    .allSatisfy(e -> assertThat(e.denial().orElseThrow().reason()).isEqualTo("max_executions_per_hour 5 for runbook "
                            + r.runbook().id() + " reached: 5 in the last 1h"));
        }
    }

    @Test
    void theDatabaseClockCountsExactlyWhereTheRequestsTimeOverGrants(Neo4j neo4j) {
        try (Replicas r = Replicas.start(neo4j, Neo4jGuardStore.TimeSource.DATABASE)) {
            assertThat(r.oneAfterTheOther()).isEqualTo(5);
            assertThat(r.actionsAhead.realCalls).isEmpty();
        }
        // Same replicas, same order, measured with each engine's own clock: the replica an hour ahead looks at a
        // window starting after every execution of the other, sees none of them and grants five more.
        try (Replicas r = Replicas.start(neo4j, Neo4jGuardStore.TimeSource.REQUEST)) {
            assertThat(r.oneAfterTheOther()).isEqualTo(10);
        }
    }
}
