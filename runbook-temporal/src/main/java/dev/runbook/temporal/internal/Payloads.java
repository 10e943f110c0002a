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
     * @param attemptMillis  for an action step: the timeout of one attempt's activity (the step's timeout and some
     *                       slack), the workflow making each attempt of its {@code retry} as an activity of its own;
     *                       0 for a branch or chained runbook, run whole in one activity of {@code timeoutMillis}
     */
    public record StepPlan(String name, String action, long timeoutMillis, long durableMillis, boolean retryable,
                           long attemptMillis) {
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
     * @param attempt     the one attempt to make, from 1; 0 for every attempt (workflows before version 2)
     * @param fixed       the values the step fixed at its first attempt, for a later attempt
     */
    public record StepInput(String executionId, String runbookId, Map<String, Object> incident, int index,
                            boolean rollback, Map<String, Object> variables, List<String> heldLocks, int attempt,
                            Map<String, Object> fixed) {
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
     * @param retry        whether the attempt failed and the step makes another
     * @param retryMillis  the wait before it
     * @param fixed        the values fixed at the first attempt, for the next (null in histories before version 2)
     * @param abandoned    an attempt ignored its interrupt and still ran when the worker's wait for it ended: no
     *                     rollback may start (false in histories before version 3)
     */
    public record StepOutput(List<StepResult> results, Map<String, Object> variables, List<String> actionsTaken,
                             String failedStep, String error, String onFailure, boolean retry, long retryMillis,
                             Map<String, Object> fixed, boolean abandoned) {
        /** Whether the sequence must stop here. */
        public boolean failed() {
            return !error.isEmpty();
        }
    }

    /**
     * What the listeners of a worker's engine are told about a step the workflow ran itself (a durable timer), or
     * that a worker lost before it could tell them.
     *
     * @param executionId the execution
     * @param runbookId   the runbook
     * @param kind        {@code started}, {@code finished} or {@code rollbackStarted}
     * @param start       for {@code started}: the step; otherwise null
     * @param result      for {@code finished}: the result; otherwise null
     * @param reason      for {@code rollbackStarted}: why; otherwise empty
     */
    public record StepEvent(String executionId, String runbookId, String kind, StepResult.Start start,
                            StepResult result, String reason) {
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
