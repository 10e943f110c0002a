package dev.runbook.neo4j.internal;

import dev.runbook.core.engine.Sleeper;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.neo4j.driver.exceptions.TransientException;

/**
 * Runs an auto-commit guard statement again after a transient error (a deadlock, a lock wait that timed out),
 * which Neo4j reports only after rolling the statement back, so running it again cannot apply it twice. Other
 * failures (Neo4j unreachable mid-statement: applied or not is unknown) are not retried; the store fails closed.
 * Waits follow the project's backoff, the same one as the schema's deadlock retries.
 */
public final class TransientRetry {
    private TransientRetry() {
    }

    /**
     * The work's result, after at most {@link GuardSchema#DEADLOCK_BACKOFF}'s attempts.
     *
     * @throws TransientException the last one, when every attempt hit one
     * @throws IllegalStateException when interrupted while waiting to try again
     */
    public static <T> T run(Supplier<T> work, Sleeper sleeper, RandomGenerator random) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (TransientException e) {
                if (!GuardSchema.DEADLOCK_BACKOFF.allows(attempt + 1)) {
                    throw e;
                }
                try {
                    sleeper.sleep(GuardSchema.DEADLOCK_BACKOFF.delayBefore(attempt + 1, Optional.empty(), random));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting to retry after " + e.code(), ie);
                }
            }
        }
    }
}
