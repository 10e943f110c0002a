package dev.runbook.neo4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.TransientException;

/**
 * The guard store's statements are auto-commit transactions, so deadlocks are retried by the store itself. A
 * deadlock cannot be produced on demand by the real database, so these statements are stand-ins that throw what
 * the driver throws for one.
 */
class TransientRetryTest {
    private static final TransientException DEADLOCK =
            new TransientException("Neo.TransientError.Transaction.DeadlockDetected", "deadlock");

    @Test
    void aStatementThatDeadlockedIsRunAgainAfterTheJitteredBackoff() {
        var sleeps = new ArrayList<Duration>();
        var calls = new AtomicInteger();

        String result = TransientRetry.run(() -> {
            if (calls.incrementAndGet() <= 2) {
                throw DEADLOCK;
            }
            return "granted";
        }, sleeps::add, new SplittableRandom(7));

        assertThat(result).isEqualTo("granted");
        assertThat(calls).hasValue(3);
        var replay = new SplittableRandom(7);
        assertThat(sleeps).containsExactly(
                GuardSchema.DEADLOCK_BACKOFF.delayBefore(2, Optional.empty(), replay),
                GuardSchema.DEADLOCK_BACKOFF.delayBefore(3, Optional.empty(), replay));
    }

    @Test
    void afterTheLastAttemptTheDeadlockIsThrownForTheStoreToFailClosed() {
        var sleeps = new ArrayList<Duration>();
        var calls = new AtomicInteger();

        assertThatThrownBy(() -> TransientRetry.run(() -> {
            calls.incrementAndGet();
            throw DEADLOCK;
        }, sleeps::add, new SplittableRandom(7))).isSameAs(DEADLOCK);

        assertThat(calls).hasValue(GuardSchema.DEADLOCK_BACKOFF.maxAttempts());
        assertThat(sleeps).hasSize(GuardSchema.DEADLOCK_BACKOFF.maxAttempts() - 1);
    }

    @Test
    void aLostConnectionIsNotRetriedBecauseTheStatementMayHaveCommitted() {
        var calls = new AtomicInteger();
        List<Duration> sleeps = new ArrayList<>();
        var lost = new ServiceUnavailableException("connection lost");

        assertThatThrownBy(() -> TransientRetry.run(() -> {
            calls.incrementAndGet();
            throw lost;
        }, sleeps::add, new SplittableRandom(7))).isSameAs(lost);

        assertThat(calls).hasValue(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void anInterruptWhileWaitingStopsTheRetriesAndKeepsTheFlag() {
        assertThatThrownBy(() -> TransientRetry.run(() -> {
            throw DEADLOCK;
        }, d -> {
            throw new InterruptedException("host shutting down");
        }, new SplittableRandom(7))).isInstanceOf(IllegalStateException.class).hasMessageContaining("DeadlockDetected");
        assertThat(Thread.interrupted()).isTrue();
    }
}
