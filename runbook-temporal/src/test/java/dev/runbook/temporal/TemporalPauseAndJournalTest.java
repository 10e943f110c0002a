package dev.runbook.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.RunbookLoader;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runbook's safety state and journal for executions run on Temporal: {@code pause_after}, and the journal record. */
class TemporalPauseAndJournalTest {
    private static final String FAILING = """
            runbook:
              id: failing-fix
              name: "Failing fix"
              version: 1.0
              trigger: {root_cause_reason: "OOMKilled", min_confidence: 0.5}
              safety: {dry_run_first: false, pause_after: {failures: 2, within: 1h}}
              steps:
                - name: "Fix"
                  action: flaky_change
                  params: {fail_times: 5, retryable: false}
            """;

    private TestWorkflowEnvironment temporal;
    private RunbookEngine engine;
    private RunbookWorkers workers;
    private final TestActions markers = new TestActions();
    private final FlakyActions flaky = new FlakyActions();
    private ActionRegistry registry;

    @BeforeEach
    void start() {
        temporal = TestWorkflowEnvironment.newInstance();
        registry = ActionRegistry.builder().provider(new BuiltinActions()).provider(markers).provider(flaky).build();
    }

    @AfterEach
    void stop() {
        if (workers != null) {
            workers.close();
        }
        if (engine != null) {
            engine.close();
        }
        temporal.close();
    }

    private Runbook load(String text) {
        LoadResult loaded = RunbookLoader.builder().actions(registry).build().loadString(text, "runbook.yaml");
        assertThat(loaded.diagnostics()).isEmpty();
        return loaded.runbooks().get(0).runbook();
    }

    private RunbookEngine.Builder engineBuilder(Runbook rb) {
        return RunbookEngine.builder().discoverActions(false).actionProvider(new BuiltinActions()).actionProvider(markers)
                .actionProvider(flaky).guardStore(new InMemoryGuardStore()).closeGrace(Duration.ZERO)
                .closeTimeout(Duration.ofSeconds(5)).runbook(rb);
    }

    private RunbookEngine onTemporal(RunbookEngine.Builder b) {
        engine = b.executionBackend(TemporalBackend.builder().client(temporal.getWorkflowClient()).build()).build();
        workers = RunbookWorkers.builder().workflowCacheSize(0).client(temporal.getWorkflowClient()).engine(engine)
                .shutdownWait(Duration.ofMillis(200)).deadlockDetectionTimeout(Duration.ofSeconds(30)).build().start();
        return engine;
    }

    private static Incident incident(String id, String pod) {
        return Incident.builder(id).symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(ResourceRef.of("Pod", "shop", pod)).build();
    }

    @Test
    void twoFailedExecutionsOnTemporalPauseTheRunbookAndTheThirdIncidentIsRefused() {
        RunbookEngine e = onTemporal(engineBuilder(load(FAILING)));

        Execution first = e.handle(incident("event-1", "web-1"));
        Execution second = e.handle(incident("event-2", "web-2"));
        Execution third = e.handle(incident("event-3", "web-3"));

        assertThat(first.status()).as("%s", first.error()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(second.status()).as("%s", second.error()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(e.pauseState("failing-fix")).hasValueSatisfying(s ->
                assertThat(s.executions()).containsExactly(first.id(), second.id()));
        assertThat(third.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(third.denial().orElseThrow().guard()).isEqualTo("paused");
        assertThat(flaky.calls).as("the third incident reached no worker").containsExactly("Fix#1", "Fix#1");
    }
}
