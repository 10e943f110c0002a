package dev.runbook.core.backtest;

import dev.runbook.core.engine.ExecutionStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What actually happened to an incident, as the audit trail recorded it.
 *
 * @param executionId the execution's id
 * @param runbookId   the runbook it ran (empty when nothing matched)
 * @param status      how it ended
 * @param deniedBy    the guard that denied it, when {@link ExecutionStatus#DENIED}
 * @param executedAt  when it started
 */
public record RecordedExecution(String executionId, String runbookId, ExecutionStatus status, Optional<String> deniedBy,
                                Instant executedAt) {
    public RecordedExecution {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(runbookId, "runbookId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(deniedBy, "deniedBy");
        Objects.requireNonNull(executedAt, "executedAt");
    }

    /** Whether it ran steps (anything but denied, no match or a plan). */
    public boolean ran() {
        return status != ExecutionStatus.DENIED && status != ExecutionStatus.NO_MATCH
                && status != ExecutionStatus.PLANNED;
    }
}
