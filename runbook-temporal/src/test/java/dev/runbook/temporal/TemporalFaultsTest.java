package dev.runbook.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.SubmittedExecution;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Executions on Temporal's in-process test server (time skipping) through the faults that made us want it: a worker
 * lost in the middle of a step, approvals and waits of many minutes, several workers sharing one queue.
 */
class TemporalFaultsTest {
    private static final String MARKER = """
            runbook:
              id: marker
              name: "Marker"
              version: 1.0
              trigger:
                root_cause_reason: "OOMKilled"
                min_confidence: 0.5
              safety:
                max_executions_per_hour: 5
                dry_run_first: true
                %s
              steps:
                - name: "Set marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "on"}
                  output_var: marker
                %s
                - name: "Probe"
                  action: probe
                  timeout: 60
                - name: "Set again"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "done-{{ marker }}"}
              rollback:
                - name: "Unset marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "off"}
            """;
    private static final String SETTLE = """
            - name: "Let it settle"
                  action: wait
                  params: {duration: 10m}""";

    private final TestActions actions = new TestActions();
    @RegisterExtension
    final TemporalTestServer server = new TemporalTestServer(() -> actions.releaseProbe.countDown());


    private Runbook runbook(String safety, String extraStep) {
        ActionRegistry registry = registry();
        return TemporalTestServer.load(MARKER.formatted(safety, extraStep), "marker.yaml", registry);
    }

    private ActionRegistry registry() {
        return ActionRegistry.builder().provider(new BuiltinActions()).provider(actions).build();
    }

    private RunbookEngine.Builder engine(Runbook runbook, GuardStore guards) {
        return RunbookEngine.builder().discoverActions(false).runbook(runbook).actionProvider(new BuiltinActions())
                .actionProvider(actions).guardStore(guards).closeGrace(Duration.ZERO).closeTimeout(Duration.ofSeconds(5))
                .executionBackend(TemporalBackend.builder().client(server.env().getWorkflowClient()).actions(registry()).build());
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        server.closeAfter(c);
        return c;
    }

    /**
     * Workers that keep no workflow in memory: every task replays the history (so each test also checks that the
     * workflow replays), and no task is first offered to the sticky queue of a worker that is gone, which the test
     * server, its clock standing still, would never time out.
     */
    private RunbookWorkers workers(RunbookEngine engine) {
        return workers(engine, true, true);
    }

    private RunbookWorkers workers(RunbookEngine engine, boolean workflows, boolean steps) {
        return closeLater(RunbookWorkers.builder().roles(workflows, steps).workflowCacheSize(0)
                .client(server.env().getWorkflowClient()).engine(engine)
                .shutdownWait(Duration.ofMillis(200))
                .deadlockDetectionTimeout(Duration.ofSeconds(30)).build()).start();
    }

    private static Incident incident(String id) {
        return Incident.builder(id).symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(ResourceRef.of("Pod", "shop", "web-1")).build();
    }

    /** {@code approvals}, telling {@code requested} once the approval's workflow has started. */
    private static ApprovalGateway asked(TemporalApprovals approvals, CompletableFuture<ApprovalRequest> requested) {
        return request -> {
            var decision = approvals.requestApproval(request);
            requested.complete(request);
            return decision;
        };
    }

    @Test
    void aWorkerLostInTheMiddleOfAStepIsReplacedWithoutRepeatingTheChangesAlreadyMade() throws Exception {
        actions.holdFirstProbe = true;
        RunbookEngine engine = closeLater(engine(runbook("", ""), new InMemoryGuardStore()).build());
        // The workflow worker stays; the step worker is replaced. (Replacing a workflow worker in the middle of its
        // task is Temporal's everyday business on a real server, but the test server stops its clock while a
        // workflow task is out, so a task lost with its worker would never time out there.)
        workers(engine, true, false);
        RunbookWorkers first = workers(engine, false, true);

        CompletableFuture<Execution> running = engine.handleAsync(incident("event-1"));
        assertThat(actions.probeHeld.await(30, TimeUnit.SECONDS)).as("the probe started on the first worker").isTrue();
        assertThat(actions.changes).containsExactly("Set marker=on");
        first.close();   // the worker goes away while its step runs; the step never reports back
        workers(engine, false, true); // a new step worker on the same queue
        // the lost step's timeout (60 s) passes, with what a worker may take beyond it (the engine's default grace,
        // 5 s, and wait for an abandoned attempt, 1 minute, plus 30 s of slack), and the server's first retry interval
        server.env().sleep(Duration.ofSeconds(160));

        Execution e = running.get(60, TimeUnit.SECONDS);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
        // the change made before the loss is not made again, and the variable it captured reached the new worker
        assertThat(actions.changes).containsExactly("Set marker=on", "Set again=done-on");
        assertThat(e.steps()).extracting(StepResult::name).containsExactly("Set marker", "Probe", "Set again");
        assertThat(actions.probes.get("Probe")).as("dry run, lost attempt, new worker's attempt").hasValue(3);
    }

    @Test
    void aFiveMinuteApprovalAndATenMinuteWaitTakeSecondsAndTheApprovalOutlivesAWorkerRestart() throws Exception {
        var requested = new CompletableFuture<ApprovalRequest>();
        WorkflowClient client = server.env().getWorkflowClient();
        var approvals = new TemporalApprovals(client, TaskQueues.perCluster(), Duration.ofMinutes(15), Clock.systemUTC());
        RunbookEngine engine = closeLater(engine(runbook("require_approval: true", SETTLE), new InMemoryGuardStore())
                .approvalGateway(asked(approvals, requested)).approvalTimeout(Duration.ofMinutes(30)).build());
        workers(engine, true, false);
        RunbookWorkers first = workers(engine, false, true);
        long wallStart = System.nanoTime();

        CompletableFuture<Execution> running = engine.handleAsync(incident("event-1"));
        ApprovalRequest request = requested.get(30, TimeUnit.SECONDS);
        long testStart = server.env().currentTimeMillis();
        server.env().sleep(Duration.ofMinutes(5));     // on-call takes five minutes
        first.close();
        workers(engine, false, true);
        approvals.approve(request.executionId(), "alice", "checked the dashboard");
        Execution e = running.get(60, TimeUnit.SECONDS);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.approval()).hasValueSatisfying(a -> {
            assertThat(a.approved()).isTrue();
            assertThat(a.approver()).isEqualTo("alice");
        });
        assertThat(e.steps()).extracting(StepResult::name).containsExactly("Set marker", "Let it settle", "Probe",
                "Set again");
        assertThat(e.steps().get(1).summary()).isEqualTo("waited 10m on a durable timer");
        assertThat(server.env().currentTimeMillis() - testStart).as("test time")
                .isGreaterThanOrEqualTo(Duration.ofMinutes(15).toMillis());
        assertThat(Duration.ofNanos(System.nanoTime() - wallStart)).as("wall time").isLessThan(Duration.ofSeconds(60));
        assertThat(actions.changes).containsExactly("Set marker=on", "Set again=done-on");
    }

    @Test
    void submitGivesTheWorkflowIdAtOnceAndTheRecordCarriesIt() throws Exception {
        var asked = new CompletableFuture<ApprovalRequest>();
        var decision = new CompletableFuture<ApprovalDecision>();
        RunbookEngine engine = closeLater(engine(runbook("require_approval: true", SETTLE), new InMemoryGuardStore())
                .approvalGateway(request -> {
                    asked.complete(request);
                    return decision;
                }).approvalTimeout(Duration.ofMinutes(30)).build());
        workers(engine);

        SubmittedExecution submitted = engine.submit(incident("event-1"));
        // the id is known while the approval is still open, so before any workflow has started
        assertThat(asked.get(30, TimeUnit.SECONDS).executionId()).isEqualTo(submitted.executionId());
        assertThat(submitted.result()).isNotDone();
        decision.complete(ApprovalDecision.approve("alice", "looked at it", Instant.now()));
        Execution e = submitted.result().get(60, TimeUnit.SECONDS);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.id()).isEqualTo(submitted.executionId());
        // the plan ran as the workflow of that id
        var workflow = server.env().getWorkflowClient().newUntypedWorkflowStub(submitted.executionId()).describe();
        assertThat(workflow.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        assertThat(workflow.getExecution().getWorkflowId()).isEqualTo(e.id());
    }

    @Test
    void anApprovalNobodyGivesIsADenialAndChangesNothing() throws Exception {
        var approvals = new TemporalApprovals(server.env().getWorkflowClient(), TaskQueues.perCluster(), Duration.ofMinutes(15),
                Clock.systemUTC());
        var requested = new CompletableFuture<ApprovalRequest>();
        RunbookEngine engine = closeLater(engine(runbook("require_approval: true", ""), new InMemoryGuardStore())
                .approvalGateway(asked(approvals, requested)).approvalTimeout(Duration.ofMinutes(30)).build());
        workers(engine);

        CompletableFuture<Execution> running = engine.handleAsync(incident("event-1"));
        requested.get(30, TimeUnit.SECONDS);
        server.env().sleep(Duration.ofMinutes(15)); // nobody answers
        Execution e = running.get(60, TimeUnit.SECONDS);

        assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(e.approval()).hasValueSatisfying(a -> assertThat(a.reason()).isEqualTo("no decision within 15m"));
        assertThat(actions.changes).isEmpty();
    }

    @Test
    void twoWorkersOnOneQueueRunExactlyTheRateLimitOf200IncidentsForOneResource() throws Exception {
        GuardStore shared = new InMemoryGuardStore();
        Runbook runbook = runbook("", "");
        RunbookEngine a = closeLater(engine(runbook, shared).build());
        RunbookEngine b = closeLater(engine(runbook, shared).build());
        workers(a);
        workers(b);
        var latch = new CountDownLatch(2);
        var results = new java.util.concurrent.ConcurrentLinkedQueue<Execution>();
        var threads = new ArrayList<Thread>();
        for (RunbookEngine engine : List.of(a, b)) {
            int offset = threads.size();
            Thread t = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    results.add(engine.handle(incident("event-" + (2 * i + offset))));
                }
                latch.countDown();
            });
            threads.add(t);
            t.start();
        }
        assertThat(latch.await(120, TimeUnit.SECONDS)).isTrue();

        assertThat(results).hasSize(200);
        assertThat(results.stream().filter(x -> x.status() == ExecutionStatus.SUCCEEDED)).hasSize(5);
        assertThat(results.stream().filter(x -> x.status() != ExecutionStatus.SUCCEEDED))
                .allMatch(x -> x.status() == ExecutionStatus.DENIED);
        assertThat(actions.changes.stream().filter(c -> c.startsWith("Set marker"))).hasSize(5);
    }
}
