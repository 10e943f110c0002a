package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.failing;
import static dev.runbook.core.engine.EngineTestSupport.oomIncident;
import static dev.runbook.core.engine.EngineTestSupport.recorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.match.OutcomeHistory;
import dev.runbook.core.match.Outcomes;
import dev.runbook.core.match.Ranking;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Ranking#OUTCOME} through the engine, on a seeded in-memory history and on the engine's own executions. */
class OutcomeRankingTest {
    private final TestClock clock = new TestClock();
    private final List<Map<String, Object>> seen = new ArrayList<>();

    /** Same trigger: the trigger order falls back to ids, so raise-memory comes before restart-pod. */
    private static Runbook runbook(String id, String action) {
        return Runbook.builder(id).trigger(Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.8).build())
                .step(ActionStep.builder("fix", action).param("by", id).build()).build();
    }

    private RunbookEngine.Builder engine(Runbook... runbooks) {
        var b = RunbookEngine.builder().discoverActions(false).clock(clock)
                .sleeper(new EngineTestSupport.RecordingSleeper(clock))
                .actions(recorder("record", seen), failing("boom", "no luck"));
        for (Runbook r : runbooks) {
            b.runbook(r);
        }
        return b;
    }

    private static InMemoryOutcomeHistory seeded(String id, int ok, int runs) {
        return seeded(new InMemoryOutcomeHistory(), id, ok, runs);
    }

    private static InMemoryOutcomeHistory seeded(InMemoryOutcomeHistory h, String id, int ok, int runs) {
        for (int i = 0; i < runs; i++) {
            h.record(id, "OOMKilled", "Pod", i < ok);
        }
        return h;
    }

    @Test
    void theBetterRecordIsChosenAndTheReportSaysWhy() {
        var history = seeded(seeded("raise-memory", 3, 6), "restart-pod", 9, 10);
        // another root cause and another kind must not count
        for (int i = 0; i < 20; i++) {
            history.record("restart-pod", "ImagePullBackOff", "Pod", false);
            history.record("restart-pod", "OOMKilled", "Deployment", false);
        }
        try (var engine = engine(runbook("raise-memory", "record"), runbook("restart-pod", "record"))
                .ranking(Ranking.OUTCOME).outcomeHistory(history).build()) {
            Execution e = engine.handle(oomIncident("i1"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.runbookId()).isEqualTo("restart-pod");
            assertThat(e.match().choice()).hasValue("chosen over raise-memory: 9/10 succeeded vs 3/6");
            assertThat(e.match().matches()).extracting(m -> m.runbook().id()).containsExactly("restart-pod", "raise-memory");
            assertThat(engine.match(oomIncident("i2")).best().orElseThrow().id()).isEqualTo("restart-pod");
        }
    }

    @Test
    void theDefaultRankingIgnoresTheHistory() {
        var history = seeded(seeded("raise-memory", 3, 6), "restart-pod", 9, 10);
        try (var engine = engine(runbook("raise-memory", "record"), runbook("restart-pod", "record"))
                .outcomeHistory(history).build()) {
            Execution e = engine.handle(oomIncident("i1"));
            assertThat(e.runbookId()).isEqualTo("raise-memory");
            assertThat(e.match().choice()).isEmpty();
        }
    }

    @Test
    void thePriorKeepsANewRunbookInPlayAgainstAPoorRecordButNotAgainstAProvenOne() {
        // restart-pod is first by id here; raise-memory-v2 has never run
        Runbook fresh = runbook("zz-raise-memory-v2", "record");
        Runbook old = runbook("restart-pod", "record");
        try (var engine = engine(fresh, old).ranking(Ranking.OUTCOME)
                .outcomeHistory(seeded("restart-pod", 2, 6)).build()) {
            Execution e = engine.handle(oomIncident("i1"));
            assertThat(e.runbookId()).isEqualTo("zz-raise-memory-v2");
            assertThat(e.match().choice().orElseThrow()).isEqualTo("chosen over restart-pod: 0/0 succeeded vs 2/6"
                    + " (zz-raise-memory-v2 has under 5 executions: scored as new, 1/2)");
        }
        try (var engine = engine(fresh, old).ranking(Ranking.OUTCOME)
                .outcomeHistory(seeded("restart-pod", 9, 10)).build()) {
            assertThat(engine.handle(oomIncident("i2")).runbookId()).isEqualTo("restart-pod");
        }
        // 3/6 smooths to 4/8 = 1/2, the new runbook's score: a tie keeps the trigger order
        try (var engine = engine(fresh, old).ranking(Ranking.OUTCOME)
                .outcomeHistory(seeded("restart-pod", 3, 6)).build()) {
            Execution e = engine.handle(oomIncident("i3"));
            assertThat(e.runbookId()).isEqualTo("restart-pod");
            assertThat(e.match().choice().orElseThrow()).startsWith("chosen over zz-raise-memory-v2 by trigger order, "
                    + "records tie: 3/6 succeeded vs 0/0");
        }
    }

    @Test
    void oneLuckyRunBelowTheMinimumDoesNotDecide() {
        var history = seeded(seeded("raise-memory", 0, 4), "restart-pod", 4, 4);
        try (var engine = engine(runbook("raise-memory", "record"), runbook("restart-pod", "record"))
                .ranking(Ranking.OUTCOME).outcomeHistory(history).build()) {
            Execution e = engine.handle(oomIncident("i1"));
            assertThat(e.runbookId()).isEqualTo("raise-memory");
            assertThat(e.match().choice().orElseThrow()).contains("records tie");
        }
        try (var engine = engine(runbook("raise-memory", "record"), runbook("restart-pod", "record"))
                .ranking(Ranking.OUTCOME).outcomeHistory(history).outcomeMinExecutions(4).build()) {
            assertThat(engine.handle(oomIncident("i2")).runbookId()).isEqualTo("restart-pod");
        }
    }

    @Test
    void theEnginesOwnExecutionsFeedTheDefaultHistory() {
        // raise-memory comes first by trigger order and always fails; after five failures its record counts
        try (var engine = engine(runbook("raise-memory", "boom"), runbook("restart-pod", "record"))
                .ranking(Ranking.OUTCOME).build()) {
            for (int i = 0; i < 5; i++) {
                Execution e = engine.handle(oomIncident("i" + i));
                assertThat(e.runbookId()).as("run %s", i).isEqualTo("raise-memory");
                assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
            }
            Execution e = engine.handle(oomIncident("i5"));
            assertThat(e.runbookId()).isEqualTo("restart-pod");
            assertThat(e.match().choice().orElseThrow()).startsWith("chosen over raise-memory: 0/0 succeeded vs 0/5");
        }
    }

    @Test
    void theHistoryIsNotReadUnlessTwoRunbooksMatch() {
        var reads = new AtomicInteger();
        OutcomeHistory counting = (ids, reason, kind) -> {
            reads.incrementAndGet();
            return Map.of();
        };
        Runbook image = Runbook.builder("image").trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").build())
                .step(ActionStep.builder("fix", "record").build()).build();
        try (var engine = engine(runbook("raise-memory", "record"), image).ranking(Ranking.OUTCOME)
                .outcomeHistory(counting).build()) {
            var miss = dev.runbook.core.model.Incident.builder("miss").rootCause("NodeNotReady", 0.9)
                    .resource("Node", "", "n1").build();
            assertThat(engine.handle(miss).status()).isEqualTo(ExecutionStatus.NO_MATCH);
            assertThat(engine.handle(oomIncident("one")).runbookId()).isEqualTo("raise-memory");
            assertThat(reads).hasValue(0);
        }
    }

    @Test
    void anUnreadableHistoryKeepsTheTriggerOrderAndSaysSo() {
        // Fault: a history whose store is down (a real database outage is covered in runbook-neo4j)
        OutcomeHistory down = (ids, reason, kind) -> {
            throw new IllegalStateException("store down");
        };
        try (var engine = engine(runbook("raise-memory", "record"), runbook("restart-pod", "record"))
                .ranking(Ranking.OUTCOME).outcomeHistory(down).build()) {
            Execution e = engine.handle(oomIncident("i1"));
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.runbookId()).isEqualTo("raise-memory");
            assertThat(e.match().choice().orElseThrow()).contains("outcome history unavailable (store down)");
        }
    }

    @Test
    void theCacheReusesAnAnswerForItsTtlAndStaysBounded() {
        var reads = new AtomicInteger();
        OutcomeHistory counting = (ids, reason, kind) -> Map.of(ids.get(0), new Outcomes(1, reads.incrementAndGet()));
        OutcomeHistory cached = OutcomeHistory.cached(counting, Duration.ofMinutes(1), 2, clock);

        assertThat(cached.outcomes(List.of("a"), "OOMKilled", "Pod")).containsEntry("a", new Outcomes(1, 1));
        assertThat(cached.outcomes(List.of("a"), "OOMKilled", "Pod")).containsEntry("a", new Outcomes(1, 1));
        assertThat(reads).hasValue(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(cached.outcomes(List.of("a"), "OOMKilled", "Pod")).containsEntry("a", new Outcomes(1, 2));
        cached.outcomes(List.of("b"), "OOMKilled", "Pod");
        cached.outcomes(List.of("c"), "OOMKilled", "Pod"); // evicts a, the least recently used
        cached.outcomes(List.of("a"), "OOMKilled", "Pod");
        assertThat(reads).hasValue(5);
        assertThatThrownBy(() -> OutcomeHistory.cached(counting, Duration.ZERO, 2, clock))
                .hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> RunbookEngine.builder().outcomeMinExecutions(0))
                .hasMessageContaining("outcomeMinExecutions must be at least 1, got 0");
    }

    @Test
    void outcomesRefuseImpossibleCounts() {
        assertThatThrownBy(() -> new Outcomes(3, 2)).hasMessageContaining("0 <= succeeded <= executions, got 3/2");
    }
}
