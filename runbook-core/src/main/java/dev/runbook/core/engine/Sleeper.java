package dev.runbook.core.engine;

import java.time.Duration;

/**
 * How the engine waits (retry backoff, the {@code wait} action). Tests inject one that advances a test
 * clock, so no test sleeps.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits this long or until interrupted. */
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep}. */
    static Sleeper system() {
        return d -> {
            if (!d.isZero() && !d.isNegative()) {
                Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
            }
        };
    }
}
