package dev.runbook.slack;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Slack Web API call that failed: Slack answered {@code {"ok":false,"error":"..."}} (then {@link #error()} holds
 * Slack's code, for instance {@code channel_not_found}), an HTTP error status after the retries, or no answer in
 * time. The message never holds the bot token.
 */
public final class SlackApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String method;
    private final String error; // null when Slack gave no code
    private final int status;

    /**
     * A failure.
     *
     * @param method  the Web API method ({@code chat.postMessage})
     * @param error   Slack's error code, when it gave one
     * @param status  the HTTP status, or -1 when there was no response
     * @param message what happened
     * @param cause   the underlying exception, or null
     */
    public SlackApiException(String method, Optional<String> error, int status, String message, Throwable cause) {
        super(message, cause);
        this.method = Objects.requireNonNull(method, "method");
        this.error = Objects.requireNonNull(error, "error").orElse(null);
        this.status = status;
    }

    /** The Web API method that failed. */
    public String method() {
        return method;
    }

    /** Slack's error code ({@code channel_not_found}, {@code not_in_channel}, {@code invalid_auth}), when given. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** The HTTP status, when Slack answered. */
    public OptionalInt status() {
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
