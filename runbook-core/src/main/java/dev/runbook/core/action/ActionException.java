package dev.runbook.core.action;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure an action reports on purpose; {@code retryable} false tells the engine not to retry. A retryable
 * one may carry the server's {@code Retry-After}, which the engine's wait before the next attempt honours up
 * to the step's {@code max_backoff}.
 */
public class ActionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;
    @SuppressWarnings("serial") // Duration is serializable; Optional is not, so the field holds a nullable value
    private Duration retryAfter;

    public ActionException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public ActionException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A failure worth retrying (a timeout, a conflict). */
    public static ActionException retryable(String message) {
        return new ActionException(message, true);
    }

    /** A failure that will not go away by retrying (a bad parameter, a refused request). */
    public static ActionException permanent(String message) {
        return new ActionException(message, false);
    }

    /** Whether a retry may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /**
     * Records how long the server asked to wait before a retry ({@code Retry-After}); an empty or negative hint
     * is ignored.
     *
     * @return this exception
     */
    public ActionException retryAfter(Optional<Duration> hint) {
        Objects.requireNonNull(hint, "hint");
        this.retryAfter = hint.filter(h -> !h.isNegative()).orElse(null);
        return this;
    }

    /** How long the server asked to wait before a retry, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
