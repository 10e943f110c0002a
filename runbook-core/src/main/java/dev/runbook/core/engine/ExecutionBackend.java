package dev.runbook.core.engine;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where an approved plan executes. The engine keeps matching, the guards (with its guard store), the dry run and
 * the approval policy; once a plan has passed them it hands the plan to its backend, which runs the steps and, on a
 * failure, the rollback, then returns what happened. The engine then notifies and tells its listeners as it does for
 * in-process execution. Without a backend ({@link RunbookEngine.Builder#executionBackend}) the engine runs plans
 * in-process; runbook-temporal runs them as Temporal workflows, whose workers run single steps with a
 * {@link StepExecutor}.
 *
 * <p>The engine holds the execution's locks and leases while {@link #execute} runs, so the call should return when
 * the plan has ended. It journals the execution as an in-process one (the start before the plan is handed over, the
 * outcome's steps and the end once it returns), marked {@linkplain ExecutionJournal.JournalStart#backendOwned()
 * backend-owned}: {@link RunbookEngine#recover()} never runs or rolls back its steps, which are the backend's. When the
 * engine dies while the backend runs the plan, the backend finishes it on its own; a backend that
 * {@linkplain #recoversExecutions() can say how a plan ended} lets the recovering engine write what the dead one
 * could not: the final record, the notifications and the failure's count toward {@code pause_after}.
 */
public interface ExecutionBackend {

    /**
     * Runs the plan's steps and, when one fails with the rollback policy, its rollback. Should not throw: an
     * exception is recorded as the execution's failure (a change may have been made), except
     * {@link OutcomeUnknownException}.
     *
     * @throws OutcomeUnknownException when the backend cannot tell whether the plan started or how it ended (its
     *                                 answer was lost): the plan may be running out of the engine's sight
     */
    Outcome execute(Plan plan);

    /**
     * Thrown by {@link #execute} when the backend cannot tell whether the plan started or how it ended, such as when
     * the answer to its start was lost or the backend stopped answering while the plan ran. The engine then ends the
     * execution {@link ExecutionStatus#ABANDONED}, keeps its locks until their ttl runs out, counts nothing toward
     * {@code pause_after}, and leaves the journal entry unfinished, so that a recovery asks {@link #awaitOutcome}
     * once the backend answers and records what really happened (a backend that
     * {@linkplain #recoversExecutions() recovers executions} should throw it; others may not).
     */
    final class OutcomeUnknownException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what could not be told, and why
         * @param cause   the backend's failure
         */
        public OutcomeUnknownException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Asks the plan of this execution, running in {@link #execute} (or about to), to stop as
     * {@link RunbookEngine#cancel} stops an in-process one: no further step starts, the rollback runs and the
     * outcome is {@link ExecutionStatus#CANCELLED} (or {@link ExecutionStatus#ROLLBACK_FAILED}). The engine calls
     * it from another thread instead of interrupting the one waiting in {@link #execute}, and may call it just
     * before {@link #execute} starts: a backend must then honour it once the plan starts. Does nothing by default.
     *
     * @return whether this backend stops plans (true even when the execution had already ended)
     */
    default boolean cancel(String executionId) {
        return false;
    }

    /**
     * Whether {@link #awaitOutcome} can say how a plan handed to this backend ended. When true,
     * {@link RunbookEngine#recover()} takes over the journal entry of a backend-owned execution whose engine died
     * (exactly once across engines sharing the journal), waits for its plan to end and records it. When false (the
     * default) such entries are left in the journal unfinished.
     */
    default boolean recoversExecutions() {
        return false;
    }

    /**
     * How the plan of {@code executionId}, handed to this backend by an engine that has since died, ended; waits
     * while it still runs, renewing nothing itself (the recovering engine keeps the journal entry's lease). A plan
     * this backend never started (the engine died between journaling the start and handing it over) ends
     * {@link ExecutionStatus#DENIED}, with no steps and a reason saying so.
     *
     * @throws UnsupportedOperationException when {@link #recoversExecutions()} is false (the default)
     * @throws RuntimeException when the backend cannot be reached: the journal entry stays claimed until its lease
     *                          runs out, and a later recovery asks again
     */
    default Outcome awaitOutcome(String executionId) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot say how a plan it was handed ended: "
                + "implement recoversExecutions() and awaitOutcome(String) for recovery to record it");
    }

    /**
     * An approved plan.
     *
     * @param executionId the execution's id
     * @param runbook     the runbook to run (a library runbook, or an ad-hoc one)
     * @param incident    the incident
     * @param variables   the run's starting variables: the runbook's resolved parameters (secrets included: a backend
     *                    that stores them must protect them). Without {@code incident} and {@code execution}, which
     *                    the {@link StepExecutor} supplies
     * @param heldLocks   the guard-store locks the engine holds (and renews) for the execution while it runs: pass them
     *                    to every {@link StepExecutor.StepCall}, so steps do not ask for them again
     */
    record Plan(String executionId, Runbook runbook, Incident incident, Map<String, Object> variables,
                Set<String> heldLocks) {
        /** Validates and copies. */
        public Plan {
            Objects.requireNonNull(executionId, "executionId");
            Objects.requireNonNull(runbook, "runbook");
            Objects.requireNonNull(incident, "incident");
            variables = Map.copyOf(variables);
            heldLocks = Set.copyOf(heldLocks);
        }
    }

    /**
     * How an executed plan ended.
     *
     * @param status        {@link ExecutionStatus#SUCCEEDED}, {@link ExecutionStatus#FAILED},
     *                      {@link ExecutionStatus#ROLLED_BACK}, {@link ExecutionStatus#ROLLBACK_FAILED},
     *                      {@link ExecutionStatus#CANCELLED}, {@link ExecutionStatus#ABANDONED} (a worker abandoned an
     *                      attempt that ignored its interrupt: no rollback ran; the engine keeps its locks until their
     *                      ttl runs out), or (from {@link #awaitOutcome} only)
     *                      {@link ExecutionStatus#DENIED} for a plan that never started
     * @param steps         the real run's step results
     * @param rollbackSteps the rollback's step results
     * @param actionsTaken  the changes made, in order
     * @param error         why it failed
     * @param variables     the variables at the end (step outputs, {@code error_message}, {@code failed_step}), which
     *                      the notifications read
     */
    record Outcome(ExecutionStatus status, List<StepResult> steps, List<StepResult> rollbackSteps,
                   List<String> actionsTaken, Optional<String> error, Map<String, Object> variables) {
        /** Validates and copies. */
        public Outcome {
            Objects.requireNonNull(status, "status");
            steps = List.copyOf(steps);
            rollbackSteps = List.copyOf(rollbackSteps);
            actionsTaken = List.copyOf(actionsTaken);
            Objects.requireNonNull(error, "error");
            variables = Map.copyOf(variables);
        }
    }
}
