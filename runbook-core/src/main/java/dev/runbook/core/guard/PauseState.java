package dev.runbook.core.guard;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A paused runbook, as its guard store keeps it until a person resumes it.
 *
 * @param key         the pause key ({@link PauseClaim#keyOf(String)})
 * @param pausedAt    when the failure that paused it was recorded (store clock)
 * @param executions  the ids of the failed or rolled-back executions that paused it, oldest first
 * @param description the rule that paused it ({@link PauseClaim#description()})
 */
public record PauseState(String key, Instant pausedAt, List<String> executions, String description) {
    public PauseState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(pausedAt, "pausedAt");
        executions = List.copyOf(executions);
        Objects.requireNonNull(description, "description");
    }

    /** The runbook this pause holds. */
    public String runbookId() {
        return PauseClaim.runbookIdOf(key);
    }

    /** The sentence a person reads: what paused the runbook, the executions that did, and how to resume it. */
    public String reason() {
        return "runbook " + runbookId() + " paused at " + pausedAt + " by " + description + " reached: executions "
                + String.join(", ", executions) + " failed or rolled back; a person resumes it (RunbookEngine.resume, "
                + "`runbook resume`, or the MCP tool resume_runbook)";
    }
}
