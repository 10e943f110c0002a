package dev.runbook.core.engine;

/**
 * Observes executions, for audit trails and metrics. Called on the execution's thread; implementations
 * must be quick and thread-safe (hand slow work to another thread). An exception from a listener is
 * logged and never changes the execution.
 */
public interface ExecutionListener {

    /** A step finished (dry run, real or rollback). */
    default void stepFinished(String executionId, String runbookId, StepResult result) {
    }

    /** An execution ended, whatever its status. */
    default void executionFinished(Execution execution) {
    }
}
