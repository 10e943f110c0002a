package dev.runbook.core.guard;

import static dev.runbook.core.internal.Durations.human;

import java.time.Duration;
import java.util.Objects;

/**
 * A runbook's auto-pause ({@code safety.pause_after}) as the guard store sees it: in a {@link ReservationRequest}
 * it asks "is this key paused?", and {@link GuardStore#recordFailure} counts a failure against it.
 *
 * @param key         the pause key, {@link #keyOf(String)} of the runbook id
 * @param failures    failures within {@code within} that pause it (at least 1)
 * @param within      the sliding window (positive)
 * @param description the rule as the runbook writes it ({@code pause_after 3 failures within 1h for runbook oom-v1})
 */
public record PauseClaim(String key, int failures, Duration within, String description) {
    private static final String PREFIX = "pause:";

    public PauseClaim {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(within, "within");
        Objects.requireNonNull(description, "description");
        if (failures < 1 || within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("need failures >= 1 and a positive window, got " + failures + ", " + within);
        }
    }

    /** The claim of runbook {@code runbookId} pausing after {@code failures} failures within {@code within}. */
    public static PauseClaim of(String runbookId, int failures, Duration within) {
        return new PauseClaim(keyOf(runbookId), failures, within,
                "pause_after " + failures + " failures within " + human(within) + " for runbook " + runbookId);
    }

    /**
     * The one pause key of a runbook, shared by every engine and tool (CLI, MCP) that pauses or resumes it.
     *
     * @param runbookId the runbook's id
     * @return {@code pause:<runbookId>}
     */
    public static String keyOf(String runbookId) {
        if (Objects.requireNonNull(runbookId, "runbookId").isBlank()) {
            throw new IllegalArgumentException("runbook id must not be blank");
        }
        return PREFIX + runbookId;
    }

    /** The runbook id a pause key names. */
    public static String runbookIdOf(String key) {
        return key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
    }
}
