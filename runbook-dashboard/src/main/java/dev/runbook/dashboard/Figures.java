package dev.runbook.dashboard;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one runbook, or one root cause, has fared: what the dashboard's charts draw.
 *
 * @param key                   the runbook id or the root-cause reason
 * @param executions            executions that ran steps (denied and planned ones excluded)
 * @param succeeded             of those, the ones that succeeded
 * @param denied                executions a guard refused
 * @param successRate           {@code succeeded / executions}, 0 when none ran
 * @param meanDuration          mean duration of the executions that ran, empty when none ran
 * @param meanTimeToRemediation mean of the end of a succeeded execution minus its incident's event time, empty
 *                              when no succeeded execution had an event time
 */
public record Figures(String key, long executions, long succeeded, long denied, double successRate,
                      Optional<Duration> meanDuration, Optional<Duration> meanTimeToRemediation) {
    public Figures {
        Objects.requireNonNull(key, "key");
        if (executions < 0 || succeeded < 0 || denied < 0 || succeeded > executions) {
            throw new IllegalArgumentException("figures for " + key + ": counts must be 0 or more and succeeded ("
                    + succeeded + ") at most executions (" + executions + ")");
        }
        if (!(successRate >= 0.0 && successRate <= 1.0)) {
            throw new IllegalArgumentException("figures for " + key + ": successRate must be 0..1, got " + successRate);
        }
        Objects.requireNonNull(meanDuration, "meanDuration");
        Objects.requireNonNull(meanTimeToRemediation, "meanTimeToRemediation");
    }
}
