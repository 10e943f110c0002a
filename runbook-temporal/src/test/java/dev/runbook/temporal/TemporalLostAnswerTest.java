package dev.runbook.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.InMemoryExecutionJournal;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.testkit.TestClock;
import io.grpc.Status;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Temporal starts a workflow and its answer is lost (a mock for a fault the test server cannot produce: a client
 * interceptor lets the start through, then throws {@code DEADLINE_EXCEEDED} as a dropped response would). The engine
 * must neither call it a failure nor free the resource while the workflow may run: it ends the execution
 * {@code ABANDONED}, keeps its locks and leaves the journal entry, and a later recovery records what the workflow did.
 */
class TemporalLostAnswerTest {
    private static final String CHANGING = """
            runbook:
              id: changing-fix
              name: "Changing fix"
              version: 1.0
              trigger: {root_cause_reason: "OOMKilled", min_confidence: 0.5}
              safety: {dry_run_first: false, pause_after: {failures: 1, within: 1h}}
              steps:
                - name: "Set marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "on"}
              rollback:
                - name: "Unset marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "off"}
            """;

    private final TestActions markers = new TestActions();
    private final TestClock clock = new TestClock();
    private final InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    private final InMemoryGuardStore guards = new InMemoryGuardStore();
    @RegisterExtension
    final TemporalTestServer server = new TemporalTestServer(() -> markers.releaseProbe.countDown());

    private Runbook runbook() {
        ActionRegistry registry = ActionRegistry.builder().provider(new BuiltinActions()).provider(markers).build();
        return TemporalTestServer.load(CHANGING, "changing.yaml", registry);
    }

    /** A client whose every workflow start reaches Temporal and whose answer is then lost. */
    private WorkflowClient losingStartAnswers() {
        WorkflowClient real = server.env().getWorkflowClient();
        return WorkflowClient.newInstance(server.env().getWorkflowServiceStubs(),
                WorkflowClientOptions.newBuilder(real.getOptions()).setInterceptors(new WorkflowClientInterceptorBase() {
                    @Override
                    public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
                        return new WorkflowClientCallsInterceptorBase(next) {
                            @Override
                            public WorkflowStartOutput start(WorkflowStartInput input) {
                                super.start(input);
                                throw Status.DEADLINE_EXCEEDED.withDescription("no answer within 10s").asRuntimeException();
                            }
                        };
                    }
                }).build());
    }

    private RunbookEngine engine(String owner, WorkflowClient client) {
        RunbookEngine engine = RunbookEngine.builder().discoverActions(false).runbook(runbook()).clock(clock)
                .actionProvider(new BuiltinActions()).actionProvider(markers).guardStore(guards).journal(journal)
                .owner(owner).closeGrace(Duration.ZERO).closeTimeout(Duration.ofSeconds(5))
                .executionBackend(TemporalBackend.builder().client(client).build()).build();
        server.closeAfter(engine);
        return engine;
    }

    private static Incident incident(String id) {
        return Incident.builder(id).symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(ResourceRef.of("Pod", "shop", "web-1")).build();
    }

    @Test
    void aStartWhoseAnswerIsLostKeepsTheResourceLockedAndIsRecordedByRecovery() {
        RunbookEngine survivor = engine("host-b", server.env().getWorkflowClient());
        server.workers(survivor);
        RunbookEngine host = engine("host-a", losingStartAnswers());

        Execution e = host.handle(incident("event-1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.ABANDONED);
        assertThat(e.error()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("Temporal did not confirm the start of workflow " + e.id())
                .contains("DEADLINE_EXCEEDED").contains("it may have started; its journal entry is left for recovery")
                .endsWith("this engine's locks stay held until their ttl (5m) runs out"));
        assertThat(host.pauseState("changing-fix")).as("nothing known yet, nothing counted").isEmpty();
        // the workflow may be running: no other execution on the resource
        assertThat(host.handle(incident("event-2")).status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(journal.orphans(Instant.MAX)).extracting(o -> o.executionId()).containsExactly(e.id());

        clock.advance(Duration.ofMinutes(6));
        List<Execution> recovered = survivor.recover();

        assertThat(recovered).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(e.id());
            assertThat(r.status()).as("%s", r.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(r.steps()).extracting(StepResult::name).containsExactly("Set marker");
        });
        // the workflow had started, and ran once
        assertThat(markers.changes).containsExactly("Set marker=on");
        assertThat(journal.orphans(Instant.MAX)).isEmpty();
    }
}
