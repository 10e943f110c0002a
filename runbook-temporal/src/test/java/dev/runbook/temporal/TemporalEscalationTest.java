package dev.runbook.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.RunbookLoader;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code on_failure: escalate} on Temporal: the workflow rolls back, then the engine hands to the next runbook. */
class TemporalEscalationTest {
    private static final String CHEAP = """
            runbook:
              id: a-cheap
              name: "Cheap fix"
              version: 1.0
              trigger: {root_cause_reason: "OOMKilled", min_confidence: 0.5}
              safety: {dry_run_first: false}
              steps:
                - name: "Set marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "cheap"}
                - name: "Fix"
                  action: flaky_change
                  params: {fail_times: 5, retryable: false}
                  on_failure: escalate
              rollback:
                - name: "Unset marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "off"}
            """;
    private static final String BIGGER = """
            runbook:
              id: b-bigger
              name: "Bigger fix"
              version: 1.0
              trigger: {root_cause_reason: "OOMKilled", min_confidence: 0.5}
              safety: {dry_run_first: false}
              steps:
                - name: "Bigger"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "bigger"}
                - name: "Let it settle"
                  action: wait
                  params: {duration: 5m}
            """;

    private TestWorkflowEnvironment temporal;
    private RunbookEngine engine;
    private RunbookWorkers workers;
    private final TestActions markers = new TestActions();
    private final FlakyActions flaky = new FlakyActions();
    /** Run as b-bigger's durable wait starts, with its execution's id. */
    private volatile java.util.function.Consumer<String> onSettling = id -> { };

    @BeforeEach
    void start() {
        temporal = TestWorkflowEnvironment.newInstance();
        var registry = ActionRegistry.builder().provider(new BuiltinActions()).provider(markers).provider(flaky).build();
        var loader = RunbookLoader.builder().actions(registry).build();
        var b = RunbookEngine.builder().discoverActions(false).actionProvider(new BuiltinActions()).actionProvider(markers)
                .actionProvider(flaky).guardStore(new InMemoryGuardStore()).closeGrace(Duration.ZERO)
                .closeTimeout(Duration.ofSeconds(5))
                .listener(new dev.runbook.core.engine.ExecutionListener() {
                    @Override
                    public void stepStarted(String executionId, String runbookId, StepResult.Start step) {
                        if (step.name().equals("Let it settle")) {
                            onSettling.accept(executionId);
                        }
                    }
                })
                .executionBackend(TemporalBackend.builder().client(temporal.getWorkflowClient()).build());
        for (String text : new String[] {CHEAP, BIGGER}) {
            LoadResult loaded = loader.loadString(text, "escalate.yaml");
            assertThat(loaded.diagnostics()).isEmpty();
            b.runbook(loaded.runbooks().get(0).runbook());
        }
        engine = b.build();
        workers = RunbookWorkers.builder().workflowCacheSize(0).client(temporal.getWorkflowClient()).engine(engine)
                .shutdownWait(Duration.ofMillis(200)).deadlockDetectionTimeout(Duration.ofSeconds(30)).build().start();
    }

    @AfterEach
    void stop() {
        workers.close();
        engine.close();
        temporal.close();
    }

    @Test
    void theWorkflowRollsBackAndTheNextRunbookRunsAsItsOwnWorkflow() throws Exception {
        Incident incident = Incident.builder("event-1").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(ResourceRef.of("Pod", "shop", "web-1")).build();

        Execution e = engine.submit(incident).result().get(60, TimeUnit.SECONDS);

        assertThat(e.runbookId()).isEqualTo("a-cheap");
        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(e.error()).hasValueSatisfying(err -> assertThat(err).endsWith("escalated to runbook b-bigger"));
        assertThat(e.rollbackSteps()).extracting(StepResult::name).containsExactly("Unset marker");
        assertThat(e.escalatedTo()).hasValueSatisfying(next -> {
            assertThat(next.runbookId()).isEqualTo("b-bigger");
            assertThat(next.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            // the next runbook ran as a workflow of its own
            assertThat(temporal.getWorkflowClient().newUntypedWorkflowStub(next.id()).describe().getExecution()
                    .getWorkflowId()).isEqualTo(next.id());
        });
        assertThat(markers.changes).containsExactly("Set marker=cheap", "Unset marker=off", "Bigger=bigger");
    }

    @Test
    void theNextRunbooksWorkflowIsListedAndCancelledByItsOwnExecutionId() throws Exception {
        Incident incident = Incident.builder("event-2").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(ResourceRef.of("Pod", "shop", "web-1")).build();
        var cancelled = new java.util.concurrent.CompletableFuture<String>();
        // Cancelled as the wait starts: the test server, skipping time while the engine waits, would end it first.
        onSettling = id -> cancelled.complete(engine.runningExecutions().contains(id) + " " + engine.cancel(id) + " " + id);

        Execution e = engine.submit(incident).result().get(60, TimeUnit.SECONDS);

        Execution next = e.escalatedTo().orElseThrow();
        assertThat(cancelled).isCompletedWithValue("true 1 " + next.id());
        assertThat(next.runbookId()).isEqualTo("b-bigger");
        assertThat(next.status()).as("%s", next.error()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(next.rollbackSteps()).isEmpty();
        assertThat(engine.runningExecutions()).isEmpty();
    }
}
