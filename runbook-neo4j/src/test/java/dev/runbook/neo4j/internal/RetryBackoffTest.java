package dev.runbook.neo4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.retry.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.SessionConfig;

/** The guard schema's deadlock retries wait on the project's jittered backoff, on the injected sleeper. */
class RetryBackoffTest {

    @Test
    void schemaDeadlocksAreRetriedAfterJitteredWaitsOnTheInjectedSleeper() {
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        Sleeper recording = sleeps::add;

        assertThatThrownBy(() -> GuardSchema.create(FailingDriver.deadlocking(), SessionConfig.defaultConfig(), recording,
                new SplittableRandom(42))).isInstanceOf(IllegalStateException.class);

        // 10 tries per statement, 9 waits between them, for each of the 4 statements (2 for limits and locks, 2 for
        // auto-pause); none after the last try.
        assertThat(sleeps).hasSize(36);
        var replay = new SplittableRandom(42);
        for (int i = 0; i < 9; i++) {
            Duration ceiling = GuardSchema.DEADLOCK_BACKOFF.ceiling(i + 2);
            assertThat(sleeps.get(i)).isBetween(ceiling.dividedBy(2), ceiling)
                    .isEqualTo(GuardSchema.DEADLOCK_BACKOFF.delayBefore(i + 2, Optional.empty(), replay));
        }
        assertThat(sleeps.subList(0, 9)).doesNotHaveDuplicates();
        assertThat(GuardSchema.DEADLOCK_BACKOFF.jitter()).isEqualTo(Backoff.Jitter.EQUAL);
    }
}
