package dev.runbook.temporal.internal;

import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.internal.Durations;
import dev.runbook.core.model.OnFailure;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The plan as a workflow, the same flow as the in-process engine's: steps in order until one fails, then, when its
 * policy rolls back, the rollback steps with the variables captured so far. Deterministic: time only from
 * {@link Workflow}, every effect in an activity. Changes to this flow go behind {@link Workflow#getVersion} so that
 * executions already running replay the flow they started with.
 *
 * <p>Version 2 makes each attempt of an action step's {@code retry} an activity of its own, waiting the backoff the
 * worker's engine computed on a durable timer between them. Temporal's own retry options are not used for those
 * attempts because they cannot tell the two failures apart that the safety rule must: an attempt that failed with a
 * retryable action error (the action said it did not succeed: try again) and a worker lost in the middle of an
 * attempt (a change may be half made: a step that may change things and is not idempotent must not run again).
 * The server's non-retryable types for timeouts ({@code TemporalTimeout:StartToClose}) would say so on a real
 * cluster, but the test server ignores them, so that rule could not be proven; and the in-process backoff has jitter,
 * honours a server's {@code Retry-After} and counts each retry against the rate limits, which the retry options
 * cannot express. So the activity's own retry options cover a lost worker only.
 */
public final class ExecutionWorkflowImpl implements ExecutionWorkflow {
    /** Attempts the server makes when a worker is lost while running a step that is safe to run again. */
    private static final int WORKER_LOSS_ATTEMPTS = 3;
    private static final String CANCELLED = "execution cancelled";
    private static final Logger LOG = Workflow.getLogger(ExecutionWorkflowImpl.class);

    private final List<String> actions = new ArrayList<>();
    private Map<String, Object> vars;
    private Payloads.WorkflowInput in;
    private int version;
    /** Set by the {@code cancel} signal. */
    private boolean stopRequested;

    @Override
    public void cancel() {
        stopRequested = true;
    }

    @Override
    public Payloads.WorkflowResult run(Payloads.WorkflowInput input) {
        // Version 1: fixed waits on durable timers. Version 2: one activity per attempt, step events for durable
        // waits, cancellation, escalate rolls back. Version 3: an attempt a worker abandoned and that still runs
        // ends the workflow ABANDONED, rolling nothing back. Bump with a new branch, never edit a released one.
        version = Workflow.getVersion("runbook-flow", Workflow.DEFAULT_VERSION, 3);
        in = input;
        vars = new HashMap<>(in.variables());
        var steps = new ArrayList<StepResult>();
        Payloads.StepOutput failed = null;
        boolean cancelled = false;
        for (int i = 0; i < in.steps().size(); i++) {
            if (cancelRequested()) {
                cancelled = true;
                break;
            }
            Payloads.StepOutput out = step(in.steps().get(i), i, false);
            steps.addAll(out.results());
            if (out.failed()) {
                failed = out;
                cancelled = cancelRequested();
                break;
            }
        }
        cancelled = cancelled || cancelRequested();
        if (failed == null && !cancelled) {
            return new Payloads.WorkflowResult(ExecutionStatus.SUCCEEDED.name(), steps, List.of(), actions, "", vars);
        }
        String failedStep = failed == null ? "" : failed.failedStep();
        String message = failed == null ? CANCELLED : failed.error();
        String error = failedStep.isEmpty() ? message : "step '" + failedStep + "' failed: " + message;
        vars.put("error_message", error);
        vars.put("failed_step", failedStep);
        if (version >= 3 && failed != null && failed.abandoned()) {
            // The attempt may still write on its worker: a rollback now could be overwritten by it, as in-process.
            return new Payloads.WorkflowResult(ExecutionStatus.ABANDONED.name(), steps, List.of(), actions, error, vars);
        }
        boolean rollsBack = cancelled || (version >= 2 ? OnFailure.valueOf(failed.onFailure()).rollsBack()
                : OnFailure.ROLLBACK.name().equals(failed.onFailure()));
        ExecutionStatus noRollback = cancelled ? ExecutionStatus.CANCELLED : ExecutionStatus.FAILED;
        if (!rollsBack || in.rollback().isEmpty()) {
            return new Payloads.WorkflowResult(noRollback.name(), steps, List.of(), actions, error, vars);
        }
        // The rollback runs to its end whatever the workflow is told: nothing in it may be cancelled.
        var undo = new ArrayList<StepResult>();
        String[] rollbackError = {""};
        Workflow.newDetachedCancellationScope(() -> rollbackError[0] = rollback(undo, error)).run();
        if (!rollbackError[0].isEmpty()) {
            vars.put("error_message", rollbackError[0]);
            return new Payloads.WorkflowResult(ExecutionStatus.ROLLBACK_FAILED.name(), steps, undo, actions,
                    rollbackError[0], vars);
        }
        ExecutionStatus done = cancelled ? ExecutionStatus.CANCELLED : ExecutionStatus.ROLLED_BACK;
        return new Payloads.WorkflowResult(done.name(), steps, undo, actions, error, vars);
    }

    /** Runs the rollback steps into {@code undo}; the error with the failed rollback step, or empty. */
    private String rollback(List<StepResult> undo, String error) {
        for (int i = 0; i < in.rollback().size(); i++) {
            Payloads.StepPlan plan = in.rollback().get(i);
            if (i == 0 && version >= 2 && plan.durableMillis() >= 0) {
                event(new Payloads.StepEvent(in.executionId(), in.runbookId(), "rollbackStarted", null, null, error));
            }
            Payloads.StepOutput out = step(plan, i, true);
            undo.addAll(out.results());
            if (out.failed()) {
                return error + "; rollback step '" + out.failedStep() + "' failed: " + out.error();
            }
        }
        return "";
    }

    /**
     * Whether the workflow was asked to stop (version 2 on): by the engine's {@code cancel} signal, or by a
     * cancellation sent to it in Temporal (the client then gets no result; see {@link ExecutionWorkflow#cancel}).
     */
    private boolean cancelRequested() {
        return version >= 2 && (stopRequested || CancellationScope.current().isCancelRequested());
    }

    /** Waits on a durable timer; false when a cancellation ended the wait first (version 2 on). */
    private boolean waitFor(Duration d) {
        if (version < 2) {
            Workflow.sleep(d);
            return true;
        }
        try {
            return !Workflow.await(d, () -> stopRequested);
        } catch (CanceledFailure e) {
            return false;
        }
    }

    private Payloads.StepOutput step(Payloads.StepPlan plan, int index, boolean rollback) {
        if (plan.durableMillis() >= 0 && version >= 1) {
            return durableWait(plan, rollback);
        }
        if (version < 2) {
            return call(plan, index, rollback, 0, Map.of(), Duration.ofMillis(plan.timeoutMillis()));
        }
        if (plan.attemptMillis() <= 0) { // a branch or chained runbook: whole, in one activity
            return detached(() -> call(plan, index, rollback, 0, Map.of(), Duration.ofMillis(plan.timeoutMillis())));
        }
        Map<String, Object> fixed = Map.of();
        Instant firstStart = null;
        for (int attempt = 1; ; attempt++) {
            int n = attempt;
            Map<String, Object> carried = fixed;
            // A running attempt is never cancelled: the step it makes ends first, as the rollback needs.
            Payloads.StepOutput out = detached(() -> call(plan, index, rollback, n, carried,
                    Duration.ofMillis(plan.attemptMillis())));
            if (attempt == 1) {
                firstStart = out.results().isEmpty() ? null : out.results().get(0).startedAt();
            } else {
                out = startedAt(out, firstStart);
            }
            if (!out.retry()) {
                return out;
            }
            fixed = out.fixed() == null ? Map.of() : out.fixed();
            // The backoff on a durable timer; a cancellation (outside the rollback) ends it and the step.
            Duration backoff = Duration.ofMillis(out.retryMillis());
            if (!(rollback ? sleepDetached(backoff) : waitFor(backoff))) {
                // The step ends with the attempt that failed; its listeners have not been told yet.
                out.results().forEach(r -> event(new Payloads.StepEvent(in.executionId(), in.runbookId(), "finished",
                        null, r, "")));
                return new Payloads.StepOutput(out.results(), out.variables(), out.actionsTaken(), out.failedStep(),
                        out.error(), out.onFailure(), false, 0, fixed, out.abandoned());
            }
        }
    }

    /** The step's result as the in-process engine records it: started when its first attempt did. */
    private static Payloads.StepOutput startedAt(Payloads.StepOutput out, Instant first) {
        if (first == null || out.results().size() != 1) {
            return out;
        }
        StepResult r = out.results().get(0);
        var whole = new StepResult(r.name(), r.action(), r.status(), r.dryRun(), r.params(), r.output(), r.error(),
                r.attempts(), r.touched(), r.summary(), first, r.finishedAt());
        return new Payloads.StepOutput(List.of(whole), out.variables(), out.actionsTaken(), out.failedStep(),
                out.error(), out.onFailure(), out.retry(), out.retryMillis(), out.fixed(), out.abandoned());
    }

    private static Payloads.StepOutput detached(java.util.function.Supplier<Payloads.StepOutput> body) {
        Payloads.StepOutput[] out = new Payloads.StepOutput[1];
        Workflow.newDetachedCancellationScope(() -> out[0] = body.get()).run();
        return out[0];
    }

    /** One activity: the whole step (attempt 0) or one attempt of it. */
    private Payloads.StepOutput call(Payloads.StepPlan plan, int index, boolean rollback, int attempt,
                                     Map<String, Object> fixed, Duration timeout) {
        var retry = RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
                .setMaximumAttempts(plan.retryable() ? WORKER_LOSS_ATTEMPTS : 1).build();
        StepActivities activity = Workflow.newActivityStub(StepActivities.class, ActivityOptions.newBuilder()
                .setTaskQueue(in.taskQueue()).setStartToCloseTimeout(timeout).setRetryOptions(retry).build());
        Instant started = Instant.ofEpochMilli(Workflow.currentTimeMillis());
        Payloads.StepOutput out;
        try {
            out = activity.runStep(new Payloads.StepInput(in.executionId(), in.runbookId(), in.incident(), index,
                    rollback, Map.copyOf(vars), in.heldLocks(), attempt, fixed));
        } catch (ActivityFailure e) {
            // The step's own failures are results; this is the worker lost (or broken) while running it.
            String why = "no worker completed it: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                    + (plan.retryable() ? "" : " (it may change things, so it is not run again)");
            var start = new StepResult.Start(plan.name(), plan.action(), false, Map.of(), started);
            StepResult r = StepResult.failed(start, why, Math.max(1, attempt),
                    Instant.ofEpochMilli(Workflow.currentTimeMillis()));
            if (version >= 2) {
                // the lost worker told the listeners the step started, never that it ended
                event(new Payloads.StepEvent(in.executionId(), in.runbookId(), "finished", null, r, ""));
            }
            return new Payloads.StepOutput(List.of(r), vars, List.of(), plan.name(), why, OnFailure.ROLLBACK.name(),
                    false, 0, fixed, false);
        }
        actions.addAll(out.actionsTaken());
        vars = new HashMap<>(out.variables());
        return out;
    }

    private Payloads.StepOutput durableWait(Payloads.StepPlan plan, boolean rollback) {
        Duration d = Duration.ofMillis(plan.durableMillis());
        var start = new StepResult.Start(plan.name(), plan.action(), false, Map.of("duration", Durations.human(d)),
                Instant.ofEpochMilli(Workflow.currentTimeMillis()));
        if (version >= 2) {
            event(new Payloads.StepEvent(in.executionId(), in.runbookId(), "started", start, null, ""));
        }
        StepResult r;
        String error = "";
        // The rollback waits its whole time: it runs to its end whatever the workflow is told.
        if (rollback ? sleepDetached(d) : waitFor(d)) {
            r = StepResult.succeeded(start, Optional.empty(), 1, List.of(), "waited " + Durations.human(d)
                    + (rollback ? " (rollback)" : "") + " on a durable timer",
                    Instant.ofEpochMilli(Workflow.currentTimeMillis()));
        } else {
            error = CANCELLED;
            r = StepResult.failed(start, error, 1, Instant.ofEpochMilli(Workflow.currentTimeMillis()));
        }
        if (version >= 2) {
            event(new Payloads.StepEvent(in.executionId(), in.runbookId(), "finished", null, r, ""));
        }
        return new Payloads.StepOutput(List.of(r), vars, List.of(), error.isEmpty() ? "" : plan.name(), error,
                OnFailure.ROLLBACK.name(), false, 0, Map.of(), false);
    }

    private static boolean sleepDetached(Duration d) {
        Workflow.sleep(d); // the rollback already runs in a detached scope
        return true;
    }

    /** Tells a worker's listeners; a lost event is logged, never a reason to stop the execution. */
    private void event(Payloads.StepEvent event) {
        StepActivities activity = Workflow.newActivityStub(StepActivities.class, ActivityOptions.newBuilder()
                .setTaskQueue(in.taskQueue()).setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(WORKER_LOSS_ATTEMPTS).build()).build());
        Workflow.newDetachedCancellationScope(() -> {
            try {
                activity.stepEvent(event);
            } catch (ActivityFailure e) {
                LOG.warn("execution {}: listeners were not told of step event {}: {}", event.executionId(),
                        event.kind(), e.getMessage());
            }
        }).run();
    }
}
