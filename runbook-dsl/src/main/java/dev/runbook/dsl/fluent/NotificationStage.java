package dev.runbook.dsl.fluent;

import dev.runbook.core.model.Runbook;

/** After a notification: more notifications, the rollback steps, or {@link #build()}. */
public interface NotificationStage {

    /** Adds a notification sent after a successful execution. */
    NotificationTarget notifyOnSuccess();

    /** Adds a notification sent after a failed execution. */
    NotificationTarget notifyOnFailure();

    /** Starts the first rollback step. */
    RollbackStage rollback(String name);

    /**
     * The runbook.
     *
     * @throws RunbookDefinitionException when the model refuses a value
     */
    Runbook build();
}
