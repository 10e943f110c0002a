package dev.runbook.core.engine;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.OnFailure;
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
     */
    record StepCall(String executionId, String runbookId, Incident incident, int index, boolean rollback,
                    Map<String, Object> variables, Set<String> heldLocks) {
        /** Validates and copies. */
        public StepCall {
            Objects.requireNonNull(executionId, "executionId");
            Objects.requireNonNull(runbookId, "runbookId");
            Objects.requireNonNull(incident, "incident");
            if (index < 0) {
                throw new IllegalArgumentException("step index must not be negative, got " + index);
            }
            variables = Map.copyOf(variables);
            heldLocks = Set.copyOf(heldLocks);
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
     */
    record StepRun(List<StepResult> results, Map<String, Object> variables, List<String> actionsTaken,
                   Optional<String> failedStep, Optional<String> error, OnFailure onFailure) {
        /** Validates and copies. */
        public StepRun {
            results = List.copyOf(results);
            variables = Map.copyOf(variables);
            actionsTaken = List.copyOf(actionsTaken);
            Objects.requireNonNull(failedStep, "failedStep");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(onFailure, "onFailure");
        }

        /** Whether the sequence must stop here. */
        public boolean failed() {
            return error.isPresent();
        }
    }
}
