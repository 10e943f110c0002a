package dev.runbook.temporal.internal;

import dev.runbook.core.engine.StepResult;
import java.util.List;
import java.util.Map;

/**
 * What the workflows and activities exchange, as Temporal's Jackson converter writes it into the workflow's history:
 * plain values only (the incident as {@code Incident.toMap()}), so that a worker of any version can read them.
 */
public final class Payloads {
    private Payloads() {
    }

    /**
     * One step of the plan as the workflow schedules it.
     *
     * @param name           the step's name
     * @param action         its action
     * @param timeoutMillis  how long the activity may run: every attempt's timeout and the backoffs between them
     * @param durableMillis  for a {@code wait} step with only a fixed {@code duration}: that duration, which the
     *                       workflow waits on a durable timer instead of an activity; otherwise -1
     * @param retryable      whether the server may run it again when its worker is lost (it changes nothing, or it
     *                       is idempotent)
     */
    public record StepPlan(String name, String action, long timeoutMillis, long durableMillis, boolean retryable) {
    }

    /**
     * A workflow's input.
     *
     * @param executionId the execution's id (also the workflow id)
     * @param runbookId   the runbook
     * @param taskQueue   where its activities run
     * @param incident    {@code Incident.toMap()}
     * @param variables   the starting variables
     * @param steps       the steps
     * @param rollback    the rollback steps
     * @param heldLocks   the locks the planning engine holds for the execution
     */
    public record WorkflowInput(String executionId, String runbookId, String taskQueue, Map<String, Object> incident,
                                Map<String, Object> variables, List<StepPlan> steps, List<StepPlan> rollback,
                                List<String> heldLocks) {
    }

    /**
     * A workflow's result.
     *
     * @param status        an {@code ExecutionStatus} name
     * @param steps         the real run's step results
     * @param rollbackSteps the rollback's
     * @param actionsTaken  the changes
     * @param error         why it failed; empty when it did not
     * @param variables     the variables at the end
     */
    public record WorkflowResult(String status, List<StepResult> steps, List<StepResult> rollbackSteps,
                                 List<String> actionsTaken, String error, Map<String, Object> variables) {
    }

    /**
     * An activity's input: one step.
     *
     * @param executionId the execution
     * @param runbookId   the runbook
     * @param incident    {@code Incident.toMap()}
     * @param index       the step's index
     * @param rollback    whether it is a rollback step
     * @param variables   the variables so far
     * @param heldLocks   the locks the planning engine holds for the execution
     */
    public record StepInput(String executionId, String runbookId, Map<String, Object> incident, int index,
                            boolean rollback, Map<String, Object> variables, List<String> heldLocks) {
    }

    /**
     * An activity's output.
     *
     * @param results      the step's results
     * @param variables    the variables after it
     * @param actionsTaken the changes it made
     * @param failedStep   the step that stops the sequence; empty when none
     * @param error        why; empty when nothing failed
     * @param onFailure    the failed step's policy name
     */
    public record StepOutput(List<StepResult> results, Map<String, Object> variables, List<String> actionsTaken,
                             String failedStep, String error, String onFailure) {
        /** Whether the sequence must stop here. */
        public boolean failed() {
            return !error.isEmpty();
        }
    }

    /**
     * An approval's question.
     *
     * @param executionId   the execution waiting
     * @param timeoutMillis how long to wait for the answer
     */
    public record ApprovalAsk(String executionId, long timeoutMillis) {
    }

    /**
     * An approval's answer.
     *
     * @param approved whether it was approved
     * @param approver who answered
     * @param reason   why
     */
    public record ApprovalAnswer(boolean approved, String approver, String reason) {
    }
}
