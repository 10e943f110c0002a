package dev.runbook.temporal;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ParamConversions;
import dev.runbook.core.engine.ExecutionBackend;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Step;
import dev.runbook.temporal.internal.ExecutionWorkflow;
import dev.runbook.temporal.internal.Payloads;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TerminatedFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs each approved plan as a Temporal workflow whose id is the execution's id: one activity per attempt of a
 * top-level action step, bounded by the step's timeout, with the engine's backoff between attempts on a durable timer
 * (a branch or chained runbook is one activity); a {@code wait} step with a fixed {@code duration} as a durable timer,
 * of which the workers' listeners hear as of any step; the rollback, on failure, as compensation with the variables
 * captured so far. {@link #cancel} (called by {@code engine.cancel}) stops the workflow after its running step and
 * rolls back. {@link #execute} returns when the workflow ends, so {@code engine.handle()} does too. Steps run on
 * {@link RunbookWorkers} listening on the incident's task queue ({@link TaskQueues#perCluster()} by default).
 *
 * <pre>{@code
 * WorkflowClient client = WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(
 *         WorkflowServiceStubsOptions.newBuilder().setTarget("temporal:7233").build()));
 * RunbookEngine engine = RunbookEngine.builder().runbooks(runbooks)
 *         .guardStore(sharedGuardStore)               // limits exact across every engine
 *         .executionBackend(TemporalBackend.builder().client(client).build())
 *         .build();
 * }</pre>
 *
 * <p>When Temporal does not confirm a start, or stops answering while a workflow runs, {@link #execute} throws
 * {@link ExecutionBackend.OutcomeUnknownException}: the engine ends the execution {@code ABANDONED}, keeps its locks
 * until their ttl runs out and leaves the journal entry to recovery, which asks {@link #awaitOutcome} once Temporal
 * answers.
 *
 * <p>When the engine that started a workflow dies, the workflow runs on (its steps on the workers still up), and the
 * engine that recovers its journal entry ({@code engine.recover()}) waits for it through {@link #awaitOutcome} and
 * records it, notifies and counts a failure toward {@code pause_after}.
 *
 * <p>A step whose worker is lost is run again only when that is safe: its action changes nothing (given
 * {@link Builder#actions}) or the step is {@code idempotent}. Otherwise the step fails and the rollback runs,
 * whatever its {@code retry} says: an attempt is retried only once it reported that it failed.
 */
public final class TemporalBackend implements ExecutionBackend {
    private static final Duration SLACK = Duration.ofSeconds(30);
    /** The task queue of the workflows that take the id of one that never started: no worker polls it. */
    private static final String TOMBSTONES = "runbook-never-started";
    /** Their termination reason. */
    private static final String NEVER_STARTED = "runbook: never started; taken by recovery so that it never does";

    private final WorkflowClient client;
    private final Function<Incident, String> taskQueues;
    private final Optional<ActionRegistry> actions;
    private final Duration defaultStepTimeout;
    /**
     * What a worker may take beyond an attempt's timeout: the grace after its interrupt and the wait for an attempt
     * it abandoned, then slack. An activity timed out before the worker reports would look like a lost worker, and a
     * retry or the rollback could start while the abandoned attempt still writes.
     */
    private final Duration overrun;
    /** Executions asked to stop: execute() cancels a workflow that was started after the request. */
    private final Set<String> cancelRequested = ConcurrentHashMap.newKeySet();

    private TemporalBackend(Builder b) {
        this.client = b.client;
        this.taskQueues = b.taskQueues;
        this.actions = Optional.ofNullable(b.actions);
        this.defaultStepTimeout = b.defaultStepTimeout;
        this.overrun = b.attemptGrace.plus(b.abandonedAttemptWait).plus(SLACK);
    }

    /** A builder; {@link Builder#client} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Outcome execute(Plan plan) {
        String queue = taskQueues.apply(plan.incident());
        var input = new Payloads.WorkflowInput(plan.executionId(), plan.runbook().id(), queue, plan.incident().toMap(),
                plan.variables(), plans(plan.runbook().steps().steps()), plans(plan.runbook().rollback()),
                plan.heldLocks().stream().sorted().toList());
        // An id is started once: after a recovery took it as never started (see awaitOutcome), a late start fails.
        ExecutionWorkflow wf = client.newWorkflowStub(ExecutionWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(plan.executionId()).setTaskQueue(queue)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE).build());
        try {
            try {
                WorkflowClient.start(wf::run, input);
            } catch (WorkflowExecutionAlreadyStarted e) {
                throw e; // the id was taken (by a recovery that found it never started): nothing of this call runs
            } catch (RuntimeException e) {
                // The request may have reached Temporal and only its answer been lost.
                throw new OutcomeUnknownException("Temporal did not confirm the start of workflow "
                        + plan.executionId() + " (" + rootCause(e) + "): it may have started", e);
            }
            if (cancelRequested.contains(plan.executionId())) {
                wf.cancel(); // cancel() came before the workflow existed
            }
            try {
                return result(plan.executionId(), WorkflowStub.fromTyped(wf));
            } catch (WorkflowFailedException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new OutcomeUnknownException("Temporal stopped answering while workflow " + plan.executionId()
                        + " ran (" + rootCause(e) + "): it may still be running", e);
            }
        } finally {
            cancelRequested.remove(plan.executionId());
        }
    }

    /** True: {@link #awaitOutcome} reads the outcome of any workflow this backend started, from Temporal. */
    @Override
    public boolean recoversExecutions() {
        return true;
    }

    /**
     * Waits for the workflow whose id is {@code executionId} to end, on whichever workers run it, and returns its
     * outcome, as {@link #execute} would have. A workflow Temporal does not know never started: this takes its id
     * with a workflow that is terminated at once, so that an engine that was only slow cannot start it after this
     * answer ({@link #execute} starts an id once), and returns {@code DENIED}. Temporal keeps a closed workflow for
     * its namespace's retention (at least a day), which a recovery within the engines' lock ttl is well inside.
     */
    @Override
    public Outcome awaitOutcome(String executionId) {
        Objects.requireNonNull(executionId, "executionId");
        try {
            return result(executionId, client.newUntypedWorkflowStub(executionId));
        } catch (WorkflowNotFoundException e) {
            WorkflowStub tombstone = client.newUntypedWorkflowStub("RunbookExecution", WorkflowOptions.newBuilder()
                    .setWorkflowId(executionId).setTaskQueue(TOMBSTONES)
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE).build());
            try {
                tombstone.start();
            } catch (WorkflowExecutionAlreadyStarted raced) {
                // the slow engine started it a moment ago: wait for it as for any other
                return result(executionId, client.newUntypedWorkflowStub(executionId));
            }
            tombstone.terminate(NEVER_STARTED);
            return neverStarted(executionId);
        }
    }

    private static Outcome neverStarted(String executionId) {
        return new Outcome(ExecutionStatus.DENIED, List.of(), List.of(), List.of(),
                Optional.of("Temporal has no workflow " + executionId + ": it never started"), Map.of());
    }

    /** The workflow's result, waiting for its end. */
    private static Outcome result(String executionId, WorkflowStub stub) {
        Payloads.WorkflowResult r;
        try {
            r = stub.getResult(Payloads.WorkflowResult.class);
        } catch (WorkflowFailedException e) {
            if (e.getCause() instanceof TerminatedFailure t && String.valueOf(t.getMessage()).contains(NEVER_STARTED)) {
                return neverStarted(executionId); // taken by an earlier recovery
            }
            if (!(e.getCause() instanceof CanceledFailure)) {
                throw e;
            }
            // Cancelled in Temporal itself (not through the engine): the SDK gives no result, the history has it.
            return new Outcome(ExecutionStatus.CANCELLED, List.of(), List.of(), List.of(),
                    Optional.of("workflow " + executionId + " was cancelled in Temporal; its steps and rollback "
                            + "are in its history"), Map.of());
        }
        return new Outcome(ExecutionStatus.valueOf(r.status()), r.steps(), r.rollbackSteps(), r.actionsTaken(),
                r.error().isEmpty() ? Optional.empty() : Optional.of(r.error()), r.variables());
    }

    /**
     * Cancels the execution's workflow: it lets the step running now end, starts no further step (a durable wait or
     * a backoff between attempts stops at once), runs the rollback, which nothing interrupts, and ends
     * {@code CANCELLED} (or {@code ROLLBACK_FAILED}). A call just before the workflow starts cancels it once started.
     */
    @Override
    public boolean cancel(String executionId) {
        cancelRequested.add(executionId);
        try {
            // A signal, not Temporal's cancellation, which would lose the workflow's result (see the workflow).
            client.newUntypedWorkflowStub(executionId).signal("cancel");
        } catch (WorkflowNotFoundException e) {
            // Not started yet (execute() cancels it once it has) or already ended: then no execute() is left to
            // take the request, so it is dropped here.
            if (ended(executionId)) {
                cancelRequested.remove(executionId);
            }
        }
        return true;
    }

    /** The innermost cause's message: the SDK's wrappers name the workflow, the gRPC status says what happened. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Whether Temporal knows the workflow and it has ended. */
    private boolean ended(String executionId) {
        try {
            return client.newUntypedWorkflowStub(executionId).describe().getStatus()
                    != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        } catch (WorkflowNotFoundException e) {
            return false;
        }
    }

    /** Cancel requests waiting for their workflow to start (tests). */
    int pendingCancels() {
        return cancelRequested.size();
    }

    private List<Payloads.StepPlan> plans(List<Step> steps) {
        var out = new ArrayList<Payloads.StepPlan>();
        for (Step s : steps) {
            out.add(plan(s));
        }
        return out;
    }

    private Payloads.StepPlan plan(Step s) {
        if (!(s instanceof ActionStep a)) {
            // A branch runs with its nested steps in one activity.
            long nested = Math.max(1, dev.runbook.core.model.StepGraph.flatten(List.of(s)).size());
            return new Payloads.StepPlan(s.name(), "branch",
                    defaultStepTimeout.plus(overrun).multipliedBy(nested).toMillis(), -1, false, 0);
        }
        Duration perAttempt = a.timeout().orElse(defaultStepTimeout);
        Duration total = perAttempt.plus(overrun).multipliedBy(a.retry().maxAttempts());
        for (int i = 2; i <= a.retry().maxAttempts(); i++) {
            total = total.plus(a.retry().backoffBefore(i));
        }
        boolean readOnly = actions.flatMap(r -> r.find(a.action())).map(x -> !x.mutating()).orElse(false);
        return new Payloads.StepPlan(a.name(), a.action(), total.toMillis(), fixedWait(a).map(Duration::toMillis).orElse(-1L),
                readOnly || a.idempotent(),
                ActionRegistry.CHAIN_ACTION.equals(a.action()) ? 0 : perAttempt.plus(overrun).toMillis());
    }

    /** A {@code wait} step that only waits a fixed time, known before the run: a durable timer can do it. */
    private static Optional<Duration> fixedWait(ActionStep a) {
        if (!"wait".equals(a.action()) || a.when().isPresent() || a.params().entries().containsKey("condition")
                || !(a.params().entries().get("duration") instanceof ParamValue.Scalar d)) {
            return Optional.empty();
        }
        if (d.value() instanceof String text && text.contains("{{")) {
            return Optional.empty();
        }
        try {
            return Optional.of(ParamConversions.toDuration(d.value()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the action reports it when it runs
        }
    }

    /** Builds a {@link TemporalBackend}. */
    public static final class Builder {
        private WorkflowClient client;
        private Function<Incident, String> taskQueues = TaskQueues.perCluster();
        private ActionRegistry actions;
        private Duration defaultStepTimeout = Duration.ofMinutes(10);
        private Duration attemptGrace = Duration.ofSeconds(5);
        private Duration abandonedAttemptWait = Duration.ofMinutes(1);

        private Builder() {
        }

        /** The client of the Temporal cluster (or of a {@code TestWorkflowEnvironment}). */
        public Builder client(WorkflowClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Which task queue an incident's workflow and steps run on (default {@link TaskQueues#perCluster()}). */
        public Builder taskQueues(Function<Incident, String> taskQueues) {
            this.taskQueues = Objects.requireNonNull(taskQueues, "taskQueues");
            return this;
        }

        /**
         * The actions, to know which steps change nothing and may run again when their worker is lost (default:
         * none known, so only {@code idempotent} steps run again).
         */
        public Builder actions(ActionRegistry actions) {
            this.actions = Objects.requireNonNull(actions, "actions");
            return this;
        }

        /** The timeout of a step without its own; match the engine's (default 10 minutes). */
        public Builder defaultStepTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "defaultStepTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("defaultStepTimeout must be positive, got " + timeout);
            }
            this.defaultStepTimeout = timeout;
            return this;
        }

        /**
         * The workers' engine's {@code attemptGrace} (default 5 s, the engine's default): with
         * {@link #abandonedAttemptWait}, how long past its timeout a worker may take to report an attempt. Match the
         * workers' engine, so that an attempt it abandoned is never taken for a lost worker.
         */
        public Builder attemptGrace(Duration grace) {
            this.attemptGrace = nonNegative(grace, "attemptGrace");
            return this;
        }

        /** The workers' engine's {@code abandonedAttemptWait} (default 1 minute, the engine's default); see above. */
        public Builder abandonedAttemptWait(Duration wait) {
            this.abandonedAttemptWait = nonNegative(wait, "abandonedAttemptWait");
            return this;
        }

        private static Duration nonNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + d);
            }
            return d;
        }

        /**
         * The backend.
         *
         * @throws IllegalStateException without a client
         */
        public TemporalBackend build() {
            if (client == null) {
                throw new IllegalStateException("TemporalBackend needs a WorkflowClient: builder().client(client)");
            }
            return new TemporalBackend(this);
        }
    }
}
