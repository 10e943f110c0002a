package dev.runbook.core.engine;

import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.Incident;

/**
 * Observes executions, for audit trails, metrics and live views. Called on the execution's thread;
 * implementations must be quick and thread-safe (hand slow work to another thread). An exception from a
 * listener is logged and never changes the execution.
 *
 * <p>For one execution the events come in this order: {@link #executionStarted}, then for each guard that
 * applies {@link #guardDecided} (with {@link #approvalRequested} before the approval guard's decision when a
 * person is asked), then {@link #stepStarted} and {@link #stepFinished} for each step of the dry run and of the
 * real run, {@link #rollbackStarted} and the rollback's steps when it rolls back, and last
 * {@link #executionFinished}. An incident that matches no runbook gives only the first and the last.
 */
public interface ExecutionListener {

    /**
     * An execution began: the incident was matched. {@code match.best()} is the runbook chosen (empty when none
     * matches); {@code match.matches()} and {@code rejected()} explain why, built on first read.
     */
    default void executionStarted(String executionId, Incident incident, MatchReport match) {
    }

    /** A guard allowed or denied the execution (guards that do not apply decide nothing). */
    default void guardDecided(String executionId, String runbookId, GuardDecision decision) {
    }

    /** A person is asked to approve (the approval policy did not decide by itself). */
    default void approvalRequested(ApprovalRequest request) {
    }

    /** A step is about to run (dry run, real or rollback); its params are rendered later, so they are empty here. */
    default void stepStarted(String executionId, String runbookId, StepResult.Start step) {
    }

    /** A step finished (dry run, real or rollback). */
    default void stepFinished(String executionId, String runbookId, StepResult result) {
    }

    /** The real run failed or was cancelled and the rollback steps are about to run. */
    default void rollbackStarted(String executionId, String runbookId, String reason) {
    }

    /** An execution ended, whatever its status. */
    default void executionFinished(Execution execution) {
    }
}
