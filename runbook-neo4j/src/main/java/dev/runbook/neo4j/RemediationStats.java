package dev.runbook.neo4j;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Outcomes of recorded executions for one runbook or one root cause.
 *
 * @param key                    the runbook id, or the root-cause reason (empty when RCA found none)
 * @param executions             executions that ran (succeeded, failed, rolled back, rollback failed, cancelled)
 * @param succeeded              of those, the ones that succeeded
 * @param denied                 executions a guard refused (not counted in {@code executions})
 * @param successRate            {@code succeeded / executions}, 0 when nothing ran
 * @param meanDuration           mean duration of the executions that ran, empty when none ran
 * @param meanTimeToRemediation  mean of {@code executed_at - incident event time} over succeeded executions whose
 *                               incident had an event time, empty when there are none
 */
public record RemediationStats(String key, long executions, long succeeded, long denied, double successRate,
                               Optional<Duration> meanDuration, Optional<Duration> meanTimeToRemediation) {
    public RemediationStats {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(meanDuration, "meanDuration");
        Objects.requireNonNull(meanTimeToRemediation, "meanTimeToRemediation");
    }
}
