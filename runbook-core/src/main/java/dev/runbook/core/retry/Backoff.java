package dev.runbook.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long to wait before each attempt of a retry loop: exponential from {@code initial}, multiplied by
 * {@code multiplier} after each attempt, capped at {@code max}, with {@linkplain Jitter jitter}, at most
 * {@code maxAttempts} attempts in all.
 *
 * <p>A server's hint ({@code Retry-After}, Kubernetes' {@code retryAfterSeconds}) is honoured: the wait is never
 * shorter than the hint, plus the jitter, so clients told the same {@code Retry-After} do not return in the same
 * instant. A hint longer than {@code max} is cut to {@code max} (logged): a hostile or broken server cannot park
 * a loop for days; a caller with a deadline also passes the time left, which bounds every wait.
 *
 * <p>The randomness is a parameter, so tests pass a fixed or seeded generator and stay deterministic.
 *
 * @param initial     the ceiling of the wait before the second attempt; not negative
 * @param multiplier  growth of the ceiling per attempt, at least 1
 * @param max         the cap of every wait, hints included; at least {@code initial}
 * @param jitter      how the wait is drawn below its ceiling
 * @param maxAttempts attempts in all, the first included; at least 1
 */
public record Backoff(Duration initial, double multiplier, Duration max, Jitter jitter, int maxAttempts) {
    private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);

    /**
     * How a wait is drawn below its exponential ceiling {@code c}.
     *
     * <p>{@link #EQUAL} is the project's choice (rather than "full jitter", uniform in {@code [0, c]}): it keeps a
     * floor of {@code c/2}, so a server that is overloaded (a 429 or 503 without a hint) always gets at least half
     * the backoff to recover and the exponential growth still means something, while the upper half is spread
     * enough to break up clients that failed together.
     */
    public enum Jitter {
        /** Exactly the ceiling (or the hint when longer): for schedules a human wrote down and expects to see. */
        NONE,
        /** Uniform in {@code [c/2, c]}; a server hint {@code h} above {@code c/2} moves it to {@code [h, h + c/2]}. */
        EQUAL
    }

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(jitter, "jitter");
        if (initial.isNegative()) {
            throw new IllegalArgumentException("backoff initial delay must not be negative, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff cap " + max + " is below the initial delay " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be a finite number >= 1, got " + multiplier);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("backoff needs at least 1 attempt, got " + maxAttempts);
        }
    }

    /** Equal jitter, doubling from {@code initial} up to {@code max}, {@code maxAttempts} attempts. */
    public static Backoff exponential(Duration initial, Duration max, int maxAttempts) {
        return new Backoff(initial, 2.0, max, Jitter.EQUAL, maxAttempts);
    }

    /** The same policy with this many attempts. */
    public Backoff withMaxAttempts(int attempts) {
        return new Backoff(initial, multiplier, max, jitter, attempts);
    }

    /** The same policy with this jitter. */
    public Backoff withJitter(Jitter j) {
        return new Backoff(initial, multiplier, max, j, maxAttempts);
    }

    /** Whether attempt number {@code attempt} (from 1) may still be made. */
    public boolean allows(int attempt) {
        return attempt <= maxAttempts;
    }

    /** The wait before attempt {@code attempt} without jitter or hint: {@code initial * multiplier^(attempt-2)}, capped. */
    public Duration ceiling(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        double nanos = initial.toNanos() * Math.pow(multiplier, attempt - 2.0);
        long capNanos = saturatedNanos(max);
        return nanos >= capNanos ? max : Duration.ofNanos((long) nanos);
    }

    /**
     * The wait before attempt {@code attempt} (2 for the first retry; zero before the first).
     *
     * @param serverHint how long the server asked to wait, if it did; negative hints are ignored
     * @param random     the jitter's randomness (only {@link RandomGenerator#nextDouble()} is used)
     * @return within {@code [0, max]}; at least the hint when the hint is within {@code max}
     */
    public Duration delayBefore(int attempt, Optional<Duration> serverHint, RandomGenerator random) {
        Objects.requireNonNull(serverHint, "serverHint");
        Objects.requireNonNull(random, "random");
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        Duration c = ceiling(attempt);
        Duration floor = jitter == Jitter.NONE ? c : c.minus(c.dividedBy(2));
        Duration spread = jitter == Jitter.NONE ? Duration.ZERO : scale(c.dividedBy(2), clamp01(random.nextDouble()));
        Optional<Duration> hint = serverHint.filter(h -> !h.isNegative());
        if (hint.isPresent() && hint.get().compareTo(max) > 0) {
            LOG.warn("the server asked to wait {} before retrying; waiting at most the backoff cap {}", hint.get(), max);
            return max;
        }
        // The hint raises the floor; the jitter still spreads clients that were told the same hint.
        Duration base = hint.filter(h -> h.compareTo(floor) > 0).orElse(floor);
        return spread.compareTo(max.minus(base)) >= 0 ? max : base.plus(spread);
    }

    /**
     * As {@link #delayBefore(int, Optional, RandomGenerator)}, and never longer than {@code timeLeft} (a loop's
     * deadline minus now): a hint or a backoff that would pass the deadline is cut to it.
     */
    public Duration delayBefore(int attempt, Optional<Duration> serverHint, RandomGenerator random, Duration timeLeft) {
        Objects.requireNonNull(timeLeft, "timeLeft");
        Duration d = delayBefore(attempt, serverHint, random);
        if (timeLeft.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(timeLeft) > 0 ? timeLeft : d;
    }

    /**
     * A generator seeded from {@code key} (for instance an execution id and a step name): the same key draws the
     * same waits, so a run is reproducible, while different keys (different executions) draw different ones.
     */
    public static RandomGenerator seeded(String key) {
        Objects.requireNonNull(key, "key");
        long seed = 1125899906842597L; // a 64-bit string hash: String.hashCode's 32 bits collide too often
        for (int i = 0; i < key.length(); i++) {
            seed = 31 * seed + key.charAt(i);
        }
        return new SplittableRandom(seed);
    }

    private static double clamp01(double r) {
        return r < 0 || Double.isNaN(r) ? 0 : Math.min(r, 1.0);
    }

    private static Duration scale(Duration d, double r) {
        return Duration.ofNanos((long) (saturatedNanos(d) * r));
    }

    private static long saturatedNanos(Duration d) {
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }
}
