package dev.runbook.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.StepStatus;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A step's {@code retry} on Temporal: each attempt an activity of its own, the backoff a durable timer, a
 * non-retryable action error never retried, a worker lost mid-attempt of a change never replaced.
 */
class TemporalRetriesTest {
    private static final String RUNBOOK = """
            runbook:
              id: flaky
              name: "Flaky"
              version: 1.0
              trigger:
                root_cause_reason: "OOMKilled"
                min_confidence: 0.5
              safety:
                dry_run_first: false
              steps:
                - name: "Flaky change"
                  action: flaky_change
                  params: {fail_times: %d, retryable: %s, hold: %s}
                  retry: {attempts: 3, backoff: %s}
                  timeout: 60
                  on_failure: %s
                  output_var: token
                - name: "After"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "after"}
              rollback:
                - name: "Undo"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "off"}
            """;

    private final TestActions markers = new TestActions();
    private final FlakyActions flaky = new FlakyActions();
    @RegisterExtension
    final TemporalTestServer server = new TemporalTestServer(() -> flaky.release.countDown());


    private ActionRegistry registry() {
        return ActionRegistry.builder().provider(new BuiltinActions()).provider(markers).provider(flaky).build();
    }

    private RunbookEngine engine(int failTimes, boolean retryable, boolean hold, String backoff, String onFailure) {
        Runbook runbook = TemporalTestServer.load(RUNBOOK.formatted(failTimes, retryable, hold, backoff, onFailure),
                "flaky.yaml", registry());
        RunbookEngine engine = RunbookEngine.builder().discoverActions(false).runbook(runbook)
                .actionProvider(new BuiltinActions()).actionProvider(markers).actionProvider(flaky)
                .guardStore(new InMemoryGuardStore()).closeGrace(Duration.ZERO).closeTimeout(Duration.ofSeconds(5))
                .executionBackend(TemporalBackend.builder().client(server.env().getWorkflowClient()).actions(registry()).build())
                .build();
        server.closeAfter(engine);
        return engine;
    }

    private RunbookWorkers workers(RunbookEngine engine, boolean workflows, boolean steps) {
        RunbookWorkers w = RunbookWorkers.builder().roles(workflows, steps).workflowCacheSize(0)
                .client(server.env().getWorkflowClient()).engine(engine).shutdownWait(Duration.ofMillis(200))
                .deadlockDetectionTimeout(Duration.ofSeconds(30)).build();
        server.closeAfter(w);
        return w.start();
    }

    private static Incident incident() {
        return Incident.builder("event-1").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(ResourceRef.of("Pod", "shop", "web-1")).build();
    }

    /** The step activities the workflow scheduled, in order. */
    private List<String> stepActivities(String workflowId) {
        return server.env().getWorkflowClient().fetchHistory(workflowId).getHistory().getEventsList().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
                .map(a -> a.getActivityType().getName())
                .filter("RunbookStep"::equals)
                .toList();
    }

    @Test
    void eachAttemptIsAnActivityAndTenMinuteBackoffsAreDurableTimers() throws Exception {
        RunbookEngine engine = engine(2, true, false, "10m", "rollback");
        workers(engine, true, true);
        long wallStart = System.nanoTime();
        long testStart = server.env().currentTimeMillis();

        Execution e = engine.submit(incident()).result().get(60, TimeUnit.SECONDS);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
        StepResult step = e.steps().get(0);
        assertThat(step.attempts()).isEqualTo(3);
        // the value fixed at the first attempt reached the third, on another activity
        assertThat(step.output()).hasValue("token-1");
        assertThat(flaky.calls).containsExactly("Flaky change#1", "Flaky change#2", "Flaky change#3");
        assertThat(stepActivities(e.id())).as("three attempts, then the next step").hasSize(4);
        // two backoffs of 5 to 10 minutes (equal jitter below the 10-minute cap), in seconds of wall time
        assertThat(server.env().currentTimeMillis() - testStart).isGreaterThanOrEqualTo(Duration.ofMinutes(10).toMillis());
        assertThat(Duration.ofNanos(System.nanoTime() - wallStart)).isLessThan(Duration.ofSeconds(60));
        assertThat(e.actionsTaken()).anyMatch(a -> a.contains("attempt 1 failed"))
                .anyMatch(a -> a.equals("changed with token-1 (attempt 3)"));
    }

    @Test
    void aNonRetryableActionErrorIsNotRetriedAndTheRollbackRuns() throws Exception {
        RunbookEngine engine = engine(5, false, false, "1s", "rollback");
        workers(engine, true, true);

        Execution e = engine.submit(incident()).result().get(60, TimeUnit.SECONDS);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(e.steps()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(StepStatus.FAILED);
            assertThat(s.attempts()).isEqualTo(1);
            assertThat(s.error()).hasValue("call 1 failed");
        });
        assertThat(flaky.calls).containsExactly("Flaky change#1");
        assertThat(markers.changes).containsExactly("Undo=off");
        assertThat(stepActivities(e.id())).as("one attempt, one rollback step").hasSize(2);
    }

    @Test
    void exhaustedRetriesFailTheStepAndOnFailureContinueGoesOn() throws Exception {
        RunbookEngine engine = engine(5, true, false, "1s", "continue");
        workers(engine, true, true);

        Execution e = engine.submit(incident()).result().get(60, TimeUnit.SECONDS);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.steps()).extracting(StepResult::name, StepResult::status, StepResult::attempts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Flaky change", StepStatus.FAILED, 3),
                        org.assertj.core.groups.Tuple.tuple("After", StepStatus.SUCCEEDED, 1));
        assertThat(flaky.calls).containsExactly("Flaky change#1", "Flaky change#2", "Flaky change#3");
        assertThat(markers.changes).containsExactly("After=after");
    }

    @Test
    void aChangeWhoseWorkerIsLostMidAttemptIsNotRunAgainDespiteItsRetries() throws Exception {
        RunbookEngine engine = engine(0, true, true, "1s", "rollback");
        workers(engine, true, false);
        RunbookWorkers first = workers(engine, false, true);

        CompletableFuture<Execution> running = engine.submit(incident()).result();
        assertThat(flaky.held.await(30, TimeUnit.SECONDS)).as("the change started on the first worker").isTrue();
        first.close();
        workers(engine, false, true);
        // the attempt's timeout (60 s) and what a worker may take beyond it (5 s + 1 minute + 30 s of slack) pass
        server.env().sleep(Duration.ofSeconds(160));

        Execution e = running.get(60, TimeUnit.SECONDS);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(e.steps().get(0).error()).hasValueSatisfying(err -> assertThat(err)
                .startsWith("no worker completed it").endsWith("(it may change things, so it is not run again)"));
        assertThat(flaky.calls).as("retry: 3 does not make a second attempt after a loss").containsExactly("Flaky change#1");
        assertThat(markers.changes).containsExactly("Undo=off");
    }
}
