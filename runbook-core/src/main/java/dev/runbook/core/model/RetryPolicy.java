package dev.runbook.core.model;

import dev.runbook.core.retry.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How often a step is attempted and how long to wait between attempts: exponential backoff from
 * {@code initialBackoff}, multiplied by {@code multiplier} after each attempt, capped at {@code maxBackoff}.
 * These give the ceiling of each wait; the engine draws the actual wait through {@link #backoff()} (equal
 * jitter: between half and all of it, seeded by the execution and step so a run is reproducible), and a
 * failure that carries a server's {@code Retry-After} waits at least that, up to the cap.
 *
 * @param maxAttempts total attempts including the first, at least 1
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

    /** Wait before the first retry when a runbook gives only the number of attempts ({@code retry: 3}). */
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    /** Backoff factor after each attempt when a runbook gives none: the backoff doubles. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Cap of the backoff when a runbook gives none (raised to the initial backoff when that is larger). */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

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

    /**
     * What {@code retry: N} means in every front end (YAML, Markdown, {@code retry(int)} in the Java DSL):
     * {@code attempts} attempts from {@link #DEFAULT_BACKOFF}, multiplied by {@link #DEFAULT_MULTIPLIER}, capped at
     * {@link #DEFAULT_MAX_BACKOFF}.
     */
    public static RetryPolicy attempts(int attempts) {
        return of(attempts, DEFAULT_BACKOFF);
    }

    /**
     * What {@code retry: {attempts: N, backoff: B}} means in every front end (and {@code retry(N, B)} in the Java
     * DSL): exponential from {@code backoff} by {@link #DEFAULT_MULTIPLIER}, capped at {@link #DEFAULT_MAX_BACKOFF}
     * or at {@code backoff} when that is larger. Change the factor or cap with {@link #withMultiplier} and
     * {@link #withMaxBackoff}.
     */
    public static RetryPolicy of(int attempts, Duration backoff) {
        Objects.requireNonNull(backoff, "backoff");
        Duration max = backoff.compareTo(DEFAULT_MAX_BACKOFF) > 0 ? backoff : DEFAULT_MAX_BACKOFF;
        return new RetryPolicy(attempts, backoff, DEFAULT_MULTIPLIER, max);
    }

    /** This policy with another backoff factor ({@code multiplier:}), at least 1. */
    public RetryPolicy withMultiplier(double factor) {
        return new RetryPolicy(maxAttempts, initialBackoff, factor, maxBackoff);
    }

    /** This policy with another cap on the backoff ({@code max_backoff:}). */
    public RetryPolicy withMaxBackoff(Duration max) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, max);
    }

    /** {@code attempts} attempts with a fixed backoff (multiplier 1); runbook files write it with {@code multiplier: 1}. */
    public static RetryPolicy fixed(int attempts, Duration backoff) {
        return new RetryPolicy(attempts, backoff, 1.0, backoff);
    }

    /** {@code attempts} attempts, doubling the backoff each time up to {@code max}. */
    public static RetryPolicy exponential(int attempts, Duration initial, Duration max) {
        return new RetryPolicy(attempts, initial, 2.0, max);
    }

    /** The wait before attempt number {@code attempt} (2 for the first retry), before jitter. */
    public Duration backoffBefore(int attempt) {
        return backoff().ceiling(attempt);
    }

    /** This policy as the project's {@link Backoff} (equal jitter; a cap below the initial wait is raised to it). */
    public Backoff backoff() {
        Duration cap = maxBackoff.compareTo(initialBackoff) < 0 ? initialBackoff : maxBackoff;
        return new Backoff(initialBackoff, multiplier, cap, Backoff.Jitter.EQUAL, maxAttempts);
    }
}
