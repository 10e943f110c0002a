package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.oomIncident;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code safety.pause_after} on one engine with the in-memory store, and its failure paths. */
class AutoPauseTest {
    private final TestClock clock = new TestClock();

    private RunbookEngine.Builder engine(GuardStore store) {
        Runbook rb = Runbook.builder("oom-v1").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().pauseAfter(2, Duration.ofHours(1)).build())
                .step(ActionStep.builder("bump", "bump").build()).build();
        return RunbookEngine.builder().discoverActions(false).clock(clock).guardStore(store).runbook(rb)
                .actions(EngineTestSupport.failing("bump", "the new limit did not hold"));
    }

    @Test
    void twoFailuresPauseTheRunbookAndAResumeLiftsIt() {
        try (RunbookEngine e = engine(new InMemoryGuardStore()).build()) {
            Execution first = e.handle(oomIncident("i1", "p1", 0.9));
            assertThat(first.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(e.pauseState("oom-v1")).isEmpty();
            Execution second = e.handle(oomIncident("i2", "p2", 0.9));
            assertThat(e.pauseState("oom-v1")).hasValueSatisfying(s ->
                    assertThat(s.executions()).containsExactly(first.id(), second.id()));

            Execution refused = e.handle(oomIncident("i3", "p3", 0.9));
            assertThat(refused.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(refused.denial().orElseThrow().guard()).isEqualTo("paused");
            assertThat(refused.denial().orElseThrow().reason()).contains(first.id() + ", " + second.id());

            assertThat(e.resume("oom-v1", "alice")).isTrue();
            assertThat(e.handle(oomIncident("i4", "p4", 0.9)).status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(e.pauseState("oom-v1")).isEmpty();
        }
    }

    @Test
    void aStoreThatCannotSayWhetherTheRunbookIsPausedKeepsItFromRunning() {
        // fault stand-in: a store whose database is gone (a real one cannot be made to fail on demand here)
        GuardStore gone = request -> {
            throw new IllegalStateException("Neo4j unreachable");
        };
        try (RunbookEngine e = engine(gone).build()) {
            Execution refused = e.handle(oomIncident("i1", "p1", 0.9));
            assertThat(refused.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(refused.denial().orElseThrow().guard()).isEqualTo("paused");
            assertThat(refused.denial().orElseThrow().reason()).contains("guard store failed").contains("Neo4j unreachable");
            assertThat(refused.steps()).isEmpty();
            assertThatThrownBy(() -> e.resume("oom-v1", "alice")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not resume runbook oom-v1");
        }
    }
}
