package dev.runbook.dsl.fluent;

import dev.runbook.core.model.Runbook;

/**
 * What may follow a complete top-level step: another step, the notifications, the rollback steps, or
 * {@link #build()}. Reaching this stage means the runbook has at least one step.
 */
public interface AfterStep {

    /**
     * Starts the next step, named {@code name} (unique within the runbook's steps).
     *
     * @throws RunbookDefinitionException for a blank or repeated name
     */
    StepStage step(String name);

    /** Adds a notification sent after a successful execution. */
    NotificationTarget notifyOnSuccess();

    /** Adds a notification sent after a failed execution (the variable {@code error_message} says why). */
    NotificationTarget notifyOnFailure();

    /**
     * Starts the first rollback step, run when a step fails with {@code on_failure: rollback}.
     *
     * @throws RunbookDefinitionException for a blank name
     */
    RollbackStage rollback(String name);

    /**
     * The runbook.
     *
     * @throws RunbookDefinitionException when the model refuses a value
     */
    Runbook build();
}
