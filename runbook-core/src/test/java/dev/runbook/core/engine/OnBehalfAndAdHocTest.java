package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.oomIncident;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.compile.RunbookValidationException;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import org.junit.jupiter.api.Test;

/**
 * One engine serving several callers: each record names its caller, and an ad-hoc runbook (one a host builds for one
 * request) runs through the library's guards, guard store and kill switch instead of a second engine of its own.
 */
class OnBehalfAndAdHocTest {
    private final TestClock clock = new TestClock();

    private RunbookEngine engine() {
        Runbook library = Runbook.builder("oom-v1").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().maxExecutionsPerHour(10).build())
                .step(ActionStep.builder("touch", "touch").build()).build();
        return RunbookEngine.builder().discoverActions(false).clock(clock).executedBy("engine")
                .sleeper(new EngineTestSupport.RecordingSleeper(clock)).runbook(library)
                .actions(FakeCluster.touch("touch")).build();
    }

    private static Runbook adHoc(Safety safety) {
        return Runbook.builder("call-touch").trigger(Trigger.any()).safety(safety)
                .step(ActionStep.builder("touch", "touch").build()).build();
    }

    @Test
    void aRecordNamesTheCallerItRanFor() {
        try (RunbookEngine engine = engine()) {
            assertThat(engine.handle(oomIncident("i1")).executedBy()).isEqualTo("engine");
            Execution e = engine.handle(oomIncident("i2"), "mcp:agent-a");
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.executedBy()).isEqualTo("mcp:agent-a");
            Execution p = engine.plan(oomIncident("i3"), "mcp:agent-b");
            assertThat(p.status()).isEqualTo(ExecutionStatus.PLANNED);
            assertThat(p.executedBy()).isEqualTo("mcp:agent-b");
            assertThatThrownBy(() -> engine.handle(oomIncident("i4"), " ")).hasMessageContaining("executedBy");
        }
    }

    @Test
    void anAdHocRunbookRunsWithoutJoiningTheLibrary() {
        try (RunbookEngine engine = engine()) {
            Execution e = engine.handle(adHoc(Safety.none()), oomIncident("i1"), "mcp:agent");
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.runbookId()).isEqualTo("call-touch");
            assertThat(e.executedBy()).isEqualTo("mcp:agent");
            assertThat(engine.runbooks()).extracting(Runbook::id).containsExactly("oom-v1");
            // the library still matches as before: the ad-hoc runbook (trigger any) is not a candidate
            assertThat(engine.handle(oomIncident("i2")).runbookId()).isEqualTo("oom-v1");
        }
    }

    @Test
    void theKillSwitchAndTheGuardStoreHoldForAdHocRunbooks() {
        try (RunbookEngine engine = engine()) {
            engine.killSwitch().engage("review");
            Execution stopped = engine.handle(adHoc(Safety.none()), oomIncident("i1"), "mcp:agent");
            assertThat(stopped.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(stopped.denial()).hasValue(GuardDecision.deny("enabled", "kill switch engaged: review"));
            engine.killSwitch().release();

            Runbook limited = adHoc(Safety.builder().maxExecutionsPerHour(1).build());
            assertThat(engine.handle(limited, oomIncident("i2"), "a").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            // a second ad-hoc run of the same runbook id is counted by the same store
            Execution second = engine.handle(limited, oomIncident("i3"), "b");
            assertThat(second.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(second.denial().orElseThrow().guard()).isEqualTo("rate_limit");
        }
    }

    @Test
    void aBrokenOrClashingAdHocRunbookIsRefused() {
        try (RunbookEngine engine = engine()) {
            Runbook unknown = Runbook.builder("call-x").trigger(Trigger.any())
                    .step(ActionStep.builder("x", "no_such_action").build()).build();
            assertThatThrownBy(() -> engine.handle(unknown, oomIncident("i1"), "a"))
                    .isInstanceOf(RunbookValidationException.class).hasMessageContaining("no_such_action");
            Runbook clash = Runbook.builder("oom-v1").trigger(Trigger.any())
                    .step(ActionStep.builder("touch", "touch").build()).build();
            assertThatThrownBy(() -> engine.handle(clash, oomIncident("i2"), "a"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'oom-v1' is a library runbook's");
        }
    }
}
