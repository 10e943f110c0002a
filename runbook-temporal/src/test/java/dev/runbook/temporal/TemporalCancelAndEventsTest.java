package dev.runbook.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.StepStatus;
import dev.runbook.core.engine.SubmittedExecution;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code engine.cancel} stops a Temporal workflow as it stops an in-process execution, and listeners hear of every
 * step run on Temporal, durable timers included, as they hear of it in-process.
 */
class TemporalCancelAndEventsTest {
    private static final String RUNBOOK = """
            runbook:
              id: settle
              name: "Settle"
              version: 1.0
              trigger:
                root_cause_reason: "OOMKilled"
                min_confidence: 0.5
              safety:
                dry_run_first: false
              steps:
                - name: "Set marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "on"}
                - name: "Flaky check"
                  action: flaky_change
                  params: {fail_times: %s, retryable: true, hold: %s}
                  retry: {attempts: 2, backoff: 1s}
                - name: "Let it settle"
                  action: wait
                  params: {duration: 5m}
                - name: "Verify"
                  action: flaky_change
                  params: {fail_times: 5, retryable: false}
              rollback:
                - name: "Pause"
                  action: wait
                  params: {duration: 1m}
                - name: "Unset marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "off"}
            """;

    private final TestActions markers = new TestActions();
    private final FlakyActions flaky = new FlakyActions();
    private final Recorder events = new Recorder();
    @RegisterExtension
    final TemporalTestServer server = new TemporalTestServer(() -> flaky.release.countDown());

    /** What listeners hear, one line an event. */
    private static final class Recorder implements ExecutionListener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        /** Run when the durable wait starts, with the execution's id. */
        volatile java.util.function.Consumer<String> onSettling = id -> { };

        @Override
        public void stepStarted(String executionId, String runbookId, StepResult.Start step) {
            lines.add("started " + step.name());
            if (step.name().equals("Let it settle")) {
                onSettling.accept(executionId);
            }
        }

        @Override
        public void stepFinished(String executionId, String runbookId, StepResult r) {
            lines.add("finished " + r.name() + " " + r.status() + " after " + r.attempts());
        }

        @Override
        public void rollbackStarted(String executionId, String runbookId, String reason) {
            lines.add("rollback: " + reason);
        }

        @Override
        public void executionFinished(Execution e) {
            lines.add("ended " + e.status());
        }
    }


    private RunbookEngine.Builder engine(int failTimes, boolean hold) {
        var registry = ActionRegistry.builder().provider(new BuiltinActions()).provider(markers).provider(flaky).build();
        Runbook runbook = TemporalTestServer.load(RUNBOOK.formatted(failTimes, hold), "settle.yaml", registry);
        return RunbookEngine.builder().discoverActions(false).runbook(runbook).actionProvider(new BuiltinActions())
                .actionProvider(markers).actionProvider(flaky).guardStore(new InMemoryGuardStore()).listener(events)
                .closeGrace(Duration.ZERO).closeTimeout(Duration.ofSeconds(5));
    }

    private RunbookEngine onTemporal(int failTimes, boolean hold) {
        RunbookEngine engine = engine(failTimes, hold).executionBackend(TemporalBackend.builder()
                .client(server.env().getWorkflowClient()).build()).build();
        server.closeAfter(engine);
        server.workers(engine);
        return engine;
    }

    private static Incident incident() {
        return Incident.builder("event-1").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(ResourceRef.of("Pod", "shop", "web-1")).build();
    }

    @Test
    void listenersHearTheSameStepsOnTemporalAsInProcessDurableWaitsRetriesAndRollbackIncluded() throws Exception {
        List<String> inProcess;
        try (RunbookEngine local = engine(1, false).sleeper(d -> { }).build()) {
            assertThat(local.handle(incident()).status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            inProcess = List.copyOf(events.lines);
        }
        events.lines.clear();
        flaky.reset();
        markers.changes.clear();
        RunbookEngine engine = onTemporal(1, false);

        Execution e = engine.submit(incident()).result().get(60, TimeUnit.SECONDS);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(inProcess).containsExactly(
                "started Set marker", "finished Set marker SUCCEEDED after 1",
                "started Flaky check", "finished Flaky check SUCCEEDED after 2",
                "started Let it settle", "finished Let it settle SUCCEEDED after 1",
                "started Verify", "finished Verify FAILED after 1",
                "rollback: step 'Verify' failed: call 1 failed",
                "started Pause", "finished Pause SUCCEEDED after 1",
                "started Unset marker", "finished Unset marker SUCCEEDED after 1",
                "ended ROLLED_BACK");
        assertThat(events.lines).containsExactlyElementsOf(inProcess);
    }

    @Test
    void cancelEndsTheDurableWaitAtOnceAndRollsBack() throws Exception {
        RunbookEngine engine = onTemporal(0, false);
        var cancelled = new CompletableFuture<Integer>();
        // Cancelled as the wait starts, before the workflow's timer: the test server, skipping time while the
        // engine waits for the result, would otherwise end the 5 minutes before a test thread could cancel.
        events.onSettling = id -> cancelled.complete(engine.cancel(id));
        SubmittedExecution running = engine.submit(incident());

        Execution e = running.result().get(60, TimeUnit.SECONDS);

        assertThat(cancelled).isCompletedWithValue(1);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(e.error()).hasValue("step 'Let it settle' failed: execution cancelled");
        assertThat(e.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Set marker", StepStatus.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("Flaky check", StepStatus.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("Let it settle", StepStatus.FAILED));
        assertThat(e.rollbackSteps()).extracting(StepResult::name).containsExactly("Pause", "Unset marker");
        assertThat(markers.changes).containsExactly("Set marker=on", "Unset marker=off");
        assertThat(flaky.calls).containsExactly("Flaky check#1");
        assertThat(events.lines).contains("finished Let it settle FAILED after 1", "ended CANCELLED");
        var workflow = server.env().getWorkflowClient().newUntypedWorkflowStub(e.id()).describe();
        assertThat(workflow.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    }

    @Test
    void cancelLetsTheRunningStepEndThenRunsNoFurtherStepAndRollsBack() throws Exception {
        RunbookEngine engine = onTemporal(0, true);
        SubmittedExecution running = engine.submit(incident());
        assertThat(flaky.held.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(engine.cancel(running.executionId())).isEqualTo(1);
        assertThat(running.result()).as("the running step is not abandoned: the rollback waits for it").isNotDone();
        flaky.release.countDown();
        Execution e = running.result().get(60, TimeUnit.SECONDS);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(e.error()).hasValue("execution cancelled");
        assertThat(e.steps()).extracting(StepResult::name).containsExactly("Set marker", "Flaky check");
        assertThat(e.steps().get(1).status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(markers.changes).containsExactly("Set marker=on", "Unset marker=off");
    }

    @Test
    void aCancelAfterTheWorkflowEndedLeavesNothingBehindAndOneBeforeItStartsIsKept() throws Exception {
        RunbookEngine engine = onTemporal(0, false);
        var backend = TemporalBackend.builder().client(server.env().getWorkflowClient()).build();
        Execution done = engine.handle(incident()); // its workflow has ended, however

        assertThat(backend.cancel(done.id())).isTrue();
        assertThat(backend.pendingCancels()).as("its workflow ended: no execute() will take the request").isZero();

        assertThat(backend.cancel("not-started-yet")).isTrue();
        assertThat(backend.pendingCancels()).as("kept for the execute() about to start it").isOne();
    }
}
