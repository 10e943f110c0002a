package dev.runbook.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionBackend;
import dev.runbook.core.engine.ExecutionJournal;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.InMemoryExecutionJournal;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An engine hands a plan to Temporal and dies; another engine sharing its journal recovers the entry: it waits for
 * the workflow, which runs on the survivor's workers, and records how it ended, running no step itself.
 *
 * <p>The dead engine is what it leaves behind: its journal entry (backend-owned, its lease run out) and its call of
 * {@link TemporalBackend#execute}, which started the workflow and whose answer nobody records. The in-process test
 * server cannot be shared with a child JVM, so the kill itself is the core's and runbook-neo4j's crash tests' part.
 */
class TemporalRecoveryTest {
    private static final String CHANGING = """
            runbook:
              id: changing-fix
              name: "Changing fix"
              version: 1.0
              trigger: {root_cause_reason: "OOMKilled", min_confidence: 0.5}
              safety: {dry_run_first: false}
              parameters:
                - {name: memory, default: "512Mi"}
              steps:
                - name: "Probe"
                  action: probe
                - name: "Set marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "{{ memory }}"}
                - name: "Fix"
                  action: flaky_change
                  params: {fail_times: 1, retryable: false}
              rollback:
                - name: "Unset marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "off"}
            """;

    private final TestActions markers = new TestActions();
    private final FlakyActions flaky = new FlakyActions();
    private final InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    @RegisterExtension
    final TemporalTestServer server = new TemporalTestServer(() -> markers.releaseProbe.countDown());

    private ActionRegistry registry() {
        return ActionRegistry.builder().provider(new BuiltinActions()).provider(markers).provider(flaky).build();
    }

    private Runbook runbook() {
        return TemporalTestServer.load(CHANGING, "changing.yaml", registry());
    }

    private TemporalBackend backend() {
        return TemporalBackend.builder().client(server.env().getWorkflowClient()).actions(registry()).build();
    }

    /** The surviving engine and its workers, which run whatever workflow steps are left. */
    private RunbookEngine survivor() {
        RunbookEngine engine = RunbookEngine.builder().discoverActions(false).runbook(runbook())
                .actionProvider(new BuiltinActions()).actionProvider(markers).actionProvider(flaky)
                .guardStore(new InMemoryGuardStore()).journal(journal).owner("host-b").closeGrace(Duration.ZERO)
                .closeTimeout(Duration.ofSeconds(5)).executionBackend(backend()).build();
        server.closeAfter(engine);
        server.workers(engine);
        return engine;
    }

    private static Incident incident(String id) {
        return Incident.builder(id).symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(ResourceRef.of("Pod", "shop", "web-1")).build();
    }

    /** What host-a journaled before it handed the plan over; its lease ran out a minute ago. */
    private void journaledByTheDeadHost(String executionId, Incident incident) {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        journal.started(new ExecutionJournal.JournalStart(executionId, "host-a", "changing-fix", "1.0",
                incident.toMap(), Map.of("memory", "512Mi"), List.of(), past, past.plus(Duration.ofMinutes(9)), true));
    }

    @Test
    void aWorkflowWhoseEngineDiedIsAwaitedAndRecordedByTheEngineThatRecoversIt() throws Exception {
        Incident incident = incident("event-1");
        journaledByTheDeadHost("wf-1", incident);
        // host-a's last act: its backend started the workflow; host-a is gone before the answer comes
        markers.holdFirstProbe = true;
        CompletableFuture.runAsync(() -> backend().execute(new ExecutionBackend.Plan("wf-1", runbook(), incident,
                Map.of("memory", "512Mi"), Set.of())));
        RunbookEngine survivor = survivor();
        // the workflow runs its first step on the survivor's worker
        assertThat(markers.probeHeld.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<List<Execution>> recovering = CompletableFuture.supplyAsync(survivor::recover);
        markers.releaseProbe.countDown();
        List<Execution> recovered = recovering.get(60, TimeUnit.SECONDS);

        assertThat(recovered).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("wf-1");
            assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(e.steps()).extracting(StepResult::name).containsExactly("Probe", "Set marker", "Fix");
            assertThat(e.rollbackSteps()).extracting(StepResult::name).containsExactly("Unset marker");
            assertThat(e.error()).hasValueSatisfying(m -> assertThat(m).contains("step 'Fix' failed")
                    .endsWith("(host-a) died before it ended; host-b recorded its end"));
        });
        // every step ran once, on the survivor's workers: recovery itself ran none
        assertThat(markers.changes).containsExactly("Set marker=512Mi", "Unset marker=off");
        assertThat(journal.orphans(Instant.MAX)).as("finished").isEmpty();
    }

    @Test
    void aWorkflowThatNeverStartedIsDeniedAndCanNoLongerBeStartedByASlowEngine() {
        Incident incident = incident("event-2");
        journaledByTheDeadHost("wf-2", incident);
        RunbookEngine survivor = survivor();

        assertThat(survivor.recover()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(e.error()).hasValueSatisfying(m -> assertThat(m).startsWith(
                    "Temporal has no workflow wf-2: it never started; the host that handed execution wf-2"));
        });
        // host-a was only slow: its start now comes too late, and nothing runs
        assertThatThrownBy(() -> backend().execute(new ExecutionBackend.Plan("wf-2", runbook(), incident,
                Map.of("memory", "512Mi"), Set.of()))).isInstanceOf(WorkflowExecutionAlreadyStarted.class);
        assertThat(markers.changes).isEmpty();
        // asked again (a recovery that died before recording), the answer is the same
        assertThat(backend().awaitOutcome("wf-2").status()).isEqualTo(ExecutionStatus.DENIED);
    }
}
