package dev.runbook.dsl.fluent;

import dev.runbook.core.model.Runbook;

/** What may follow a complete rollback step: the next rollback step or {@link #build()}. */
public interface AfterRollbackStep {

    /**
     * Starts the next rollback step, named {@code name} (unique within the rollback steps).
     *
     * @throws RunbookDefinitionException for a blank or repeated name
     */
    RollbackStage rollback(String name);

    /**
     * The runbook.
     *
     * @throws RunbookDefinitionException when the model refuses a value
     */
    Runbook build();
}
