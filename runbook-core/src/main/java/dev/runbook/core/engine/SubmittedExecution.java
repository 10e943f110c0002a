package dev.runbook.core.engine;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An execution {@link RunbookEngine#submit submitted} to the engine: its id at once, its record when it ends.
 *
 * @param executionId the id the record will carry; with an {@link ExecutionBackend} such as Temporal's, also the id of
 *                    the workflow the approved plan runs as (none is started when no runbook matches or a guard refuses)
 * @param result      completes with the record (never exceptionally for a runbook's failure: the record says it)
 */
public record SubmittedExecution(String executionId, CompletableFuture<Execution> result) {
    public SubmittedExecution {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(result, "result");
    }
}
