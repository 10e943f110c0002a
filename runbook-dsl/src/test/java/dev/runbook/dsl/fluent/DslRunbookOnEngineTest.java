package dev.runbook.dsl.fluent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.action.builtin.BuiltinActionsConfig;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.Runbooks;
import org.junit.jupiter.api.Test;

/** A runbook written with the DSL runs on the real engine with the built-in actions: branches, outputs, rollback. */
class DslRunbookOnEngineTest {

    private static Runbook runbook() {
        return Runbooks.runbook("dsl-on-engine-v1")
                .trigger(t -> t.rootCause("OOMKilled").minConfidence(0.5))
                .step("Read confidence").action("set").param("value", "{{ incident.rca_confidence }}")
                    .outputVar("confidence")
                .step("Sure enough").branch("confidence > 0.9")
                    .then(t -> t.step("Act").action("set").param("value", "acted").outputVar("outcome"))
                    .otherwise(o -> o.step("Give up").action("fail").param("message", "not sure enough"))
                .rollback("Note rollback").action("log").param("message", "rolled back: {{ error_message }}")
                .build();
    }

    private static Execution run(double confidence) {
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(new TestClock())
                .actionProvider(new BuiltinActions(BuiltinActionsConfig.custom().build()))
                .runbook(runbook()).build()) {
            return engine.handle(Incident.builder("e-" + confidence).symptomReason("CrashLoopBackOff")
                    .rootCause("OOMKilled", confidence).resource("Pod", "default", "web-1").build());
        }
    }

    @Test
    void theThenBranchRunsWhenTheConditionHolds() {
        Execution e = run(0.95);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.steps()).extracting(StepResult::name).contains("Read confidence", "Act").doesNotContain("Give up");
    }

    @Test
    void theOtherwiseBranchFailsAndTheRollbackRuns() {
        Execution e = run(0.7);

        assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(e.steps()).extracting(StepResult::name).contains("Give up").doesNotContain("Act");
        assertThat(e.rollbackSteps()).extracting(StepResult::name).containsExactly("Note rollback");
    }
}
