package dev.runbook.core.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a step is attempted and how long to wait between attempts: exponential backoff from
 * {@code initialBackoff}, multiplied by {@code multiplier} after each attempt, capped at {@code maxBackoff}.
 *
 * @param maxAttempts total attempts including the first, at least 1
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

    private static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry attempts must be at least 1, got " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("retry backoff must not be negative");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("retry backoff multiplier must be >= 1, got " + multiplier);
        }
    }

    /** One attempt, no retry. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** {@code attempts} attempts with a fixed backoff. */
    public static RetryPolicy fixed(int attempts, Duration backoff) {
        return new RetryPolicy(attempts, backoff, 1.0, backoff);
    }

    /** {@code attempts} attempts, doubling the backoff each time up to {@code max}. */
    public static RetryPolicy exponential(int attempts, Duration initial, Duration max) {
        return new RetryPolicy(attempts, initial, 2.0, max);
    }

    /** The wait before attempt number {@code attempt} (2 for the first retry). */
    public Duration backoffBefore(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, attempt - 2);
        long capped = (long) Math.min(millis, Math.max(maxBackoff.toMillis(), initialBackoff.toMillis()));
        return Duration.ofMillis(capped);
    }
}
