package dev.runbook.core.engine;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.OnFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one top-level step of a library runbook, as an {@link ExecutionBackend}'s worker does: with the engine's
 * actions, templates, {@code when} and {@code expect}, the step's timeout and retry policy, its guard store (locks
 * and per-attempt counts) and its listeners ({@code stepStarted}, {@code stepFinished}, {@code rollbackStarted}).
 * A branch runs with its nested steps, a chained runbook with its steps. Get one from
 * {@link RunbookEngine#stepExecutor()}. Thread-safe.
 */
public interface StepExecutor {

    /** Runs the call's step; never throws for the step's failure (the result says so). */
    StepRun run(StepCall call);

    /**
     * Tells this executor's listeners that a step the backend runs itself (a durable timer) has started; the
     * listeners then see it as they see a step run here. Does nothing by default.
     */
    default void stepStarted(String executionId, String runbookId, StepResult.Start start) {
    }

    /** Tells this executor's listeners that a step the backend ran itself has ended. Does nothing by default. */
    default void stepFinished(String executionId, String runbookId, StepResult result) {
    }

    /**
     * Tells this executor's listeners that the rollback has started, when its first step is one the backend runs
     * itself (otherwise {@link #run} of rollback step 0 tells them). Does nothing by default.
     */
    default void rollbackStarted(String executionId, String runbookId, String reason) {
    }

    /**
     * One step to run.
     *
     * @param executionId the execution's id (the holder of its locks in the guard store)
     * @param runbookId   a runbook of the engine's library
     * @param incident    the incident
     * @param index       the step's position in {@code steps} (or {@code rollback})
     * @param rollback    whether it is a rollback step
     * @param variables   the variables so far (parameters and outputs of earlier steps; without {@code incident} and
     *                    {@code execution}, which are supplied here)
     * @param heldLocks   the locks the execution already holds ({@link ExecutionBackend.Plan#heldLocks()})
     * @param attempt     0 to make every attempt of the step's {@code retry} in this call; n &ge; 1 to make only
     *                    attempt n of an action step (its backoff already waited by the caller), so that a backend
     *                    can run each attempt as a task of its own ({@link StepRun#retryAfter()} says whether and
     *                    when to make the next). A branch or chained runbook ignores it and runs whole
     * @param fixed       with {@code attempt} above 1: the values the step fixed at its first attempt
     *                    ({@link StepRun#fixed()} of the attempt before); empty otherwise. A backend that carries them
     *                    between processes writes them as plain values (Temporal: JSON), so a whole number may come
     *                    back as another {@code Number} type
     */
    record StepCall(String executionId, String runbookId, Incident incident, int index, boolean rollback,
                    Map<String, Object> variables, Set<String> heldLocks, int attempt, Map<String, Object> fixed) {
        /** Validates and copies. */
        public StepCall {
            Objects.requireNonNull(executionId, "executionId");
            Objects.requireNonNull(runbookId, "runbookId");
            Objects.requireNonNull(incident, "incident");
            if (index < 0) {
                throw new IllegalArgumentException("step index must not be negative, got " + index);
            }
            if (attempt < 0) {
                throw new IllegalArgumentException("attempt must not be negative, got " + attempt);
            }
            variables = Map.copyOf(variables);
            heldLocks = Set.copyOf(heldLocks);
            fixed = Map.copyOf(fixed);
        }

        /** A call that makes every attempt of the step. */
        public StepCall(String executionId, String runbookId, Incident incident, int index, boolean rollback,
                        Map<String, Object> variables, Set<String> heldLocks) {
            this(executionId, runbookId, incident, index, rollback, variables, heldLocks, 0, Map.of());
        }
    }

    /**
     * A step that ran.
     *
     * @param results      its results (a branch's or chain's nested steps too)
     * @param variables    the variables after it (without {@code incident} and {@code execution}; unset outputs left out)
     * @param actionsTaken the changes it made
     * @param failedStep   the step that failed and stops the sequence (empty when it may go on)
     * @param error        why it failed
     * @param onFailure    the failed step's policy ({@link OnFailure#ROLLBACK} when nothing failed)
     * @param retryAfter   for a call of one attempt ({@link StepCall#attempt()} &ge; 1) that failed: how long to wait
     *                     before making the next attempt, when the step's {@code retry} allows one and the failure may
     *                     be retried (the in-process backoff, jitter and server hints included). Empty when the
     *                     step's result is final; listeners were told of its end only then
     * @param fixed        the values the step fixed at its first attempt, to hand to the next attempt's call
     * @param abandoned    an attempt ignored its interrupt and was still running the engine's
     *                     {@code abandonedAttemptWait} after it was abandoned: a change may still be in flight, so the
     *                     caller must start no rollback (the execution ends {@link ExecutionStatus#ABANDONED}); the
     *                     worker's own locks stay held until that attempt's thread ends
     */
    record StepRun(List<StepResult> results, Map<String, Object> variables, List<String> actionsTaken,
                   Optional<String> failedStep, Optional<String> error, OnFailure onFailure,
                   Optional<Duration> retryAfter, Map<String, Object> fixed, boolean abandoned) {
        /** Validates and copies. */
        public StepRun {
            results = List.copyOf(results);
            variables = Map.copyOf(variables);
            actionsTaken = List.copyOf(actionsTaken);
            Objects.requireNonNull(failedStep, "failedStep");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(onFailure, "onFailure");
            Objects.requireNonNull(retryAfter, "retryAfter");
            fixed = Map.copyOf(fixed);
        }

        /** A step that left no attempt running. */
        public StepRun(List<StepResult> results, Map<String, Object> variables, List<String> actionsTaken,
                       Optional<String> failedStep, Optional<String> error, OnFailure onFailure,
                       Optional<Duration> retryAfter, Map<String, Object> fixed) {
            this(results, variables, actionsTaken, failedStep, error, onFailure, retryAfter, fixed, false);
        }

        /** A step that ran all its attempts. */
        public StepRun(List<StepResult> results, Map<String, Object> variables, List<String> actionsTaken,
                       Optional<String> failedStep, Optional<String> error, OnFailure onFailure) {
            this(results, variables, actionsTaken, failedStep, error, onFailure, Optional.empty(), Map.of());
        }

        /** Whether the sequence must stop here. */
        public boolean failed() {
            return error.isPresent();
        }
    }
}
