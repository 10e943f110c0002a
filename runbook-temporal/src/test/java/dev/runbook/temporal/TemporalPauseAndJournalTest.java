package dev.runbook.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionJournal;
import dev.runbook.core.engine.InMemoryExecutionJournal;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private static final String CHANGING = """
            runbook:
              id: changing-fix
              name: "Changing fix"
              version: 1.0
              trigger: {root_cause_reason: "OOMKilled", min_confidence: 0.5}
              safety: {dry_run_first: true}
              parameters:
                - {name: memory, default: "512Mi"}
              steps:
                - name: "Set marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "{{ memory }}"}
                - name: "Fix"
                  action: flaky_change
                  params: {fail_times: 1, retryable: false}
                  output_var: fixed
              rollback:
                - name: "Unset marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "off"}
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
        return TemporalTestServer.load(text, "runbook.yaml", registry);
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

    /** The journal's writes, times and ids left out; reads go to an in-memory journal. */
    private static final class RecordingJournal implements ExecutionJournal {
        final InMemoryExecutionJournal inner = new InMemoryExecutionJournal();
        final List<String> writes = new CopyOnWriteArrayList<>();
        final List<JournalStart> starts = new CopyOnWriteArrayList<>();
        final List<StepIntent> intents = new CopyOnWriteArrayList<>();

        @Override
        public void started(JournalStart s) {
            starts.add(s);
            writes.add("started " + s.runbookId() + " " + s.runbookVersion() + " incident=" + s.incident() + " params="
                    + s.params() + " plan=" + s.plan().stream().map(TemporalPauseAndJournalTest::step).toList());
            inner.started(s);
        }

        @Override
        public void intent(StepIntent intent) {
            intents.add(intent);
            inner.intent(intent);
        }

        @Override
        public void stepRecorded(String executionId, StepResult result, boolean rollback, Map<String, Object> variables) {
            writes.add((rollback ? "rollback " : "step ") + step(result));
            inner.stepRecorded(executionId, result, rollback, variables);
        }

        @Override
        public void finished(Execution e) {
            writes.add("finished " + e.status() + " steps=" + e.steps().stream().map(StepResult::name).toList()
                    + " rollback=" + e.rollbackSteps().stream().map(StepResult::name).toList());
            inner.finished(e);
        }

        @Override
        public void renewLease(String executionId, String owner, Instant until) {
            inner.renewLease(executionId, owner, until);
        }

        @Override
        public List<JournaledExecution> orphans(Instant now) {
            return inner.orphans(now);
        }

        @Override
        public Optional<JournaledExecution> claim(String executionId, String newOwner, Instant now, Instant leaseUntil) {
            return inner.claim(executionId, newOwner, now, leaseUntil);
        }
    }

    private static String step(StepResult r) {
        return r.name() + ":" + r.action() + ":" + r.status() + (r.dryRun() ? ":dry" : "") + ":" + r.params() + ":"
                + r.output() + ":" + r.error() + ":" + r.attempts() + ":" + r.touched() + ":" + r.summary();
    }

    @Test
    void anExecutionOnTemporalIsJournaledAsTheSameExecutionInProcessMarkedAsTheBackends() {
        Runbook rb = load(CHANGING);
        var inProcessJournal = new RecordingJournal();
        Execution inProcess;
        try (RunbookEngine local = engineBuilder(rb).journal(inProcessJournal).build()) {
            inProcess = local.handle(incident("event-1", "web-1"));
        }
        flaky.reset();
        var temporalJournal = new RecordingJournal();
        Execution onTemporal = onTemporal(engineBuilder(rb).journal(temporalJournal)).handle(incident("event-1", "web-1"));

        assertThat(onTemporal.status()).as("%s", onTemporal.error()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(inProcess.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(temporalJournal.writes).containsExactlyElementsOf(inProcessJournal.writes);
        assertThat(temporalJournal.writes).hasSize(5); // start, two steps, one rollback step, end
        assertThat(inProcessJournal.starts).singleElement().satisfies(s -> assertThat(s.backendOwned()).isFalse());
        assertThat(temporalJournal.starts).singleElement().satisfies(s -> {
            assertThat(s.backendOwned()).isTrue();
            assertThat(s.executionId()).isEqualTo(onTemporal.id());
        });
        // the intents of the workers' attempts are in the workflow's history, not in the engine's journal
        assertThat(inProcessJournal.intents).extracting(ExecutionJournal.StepIntent::step)
                .containsExactly("Set marker", "Fix", "Unset marker");
        assertThat(temporalJournal.intents).isEmpty();
        assertThat(temporalJournal.inner.orphans(Instant.MAX)).as("finished, so nothing left").isEmpty();
    }
}
