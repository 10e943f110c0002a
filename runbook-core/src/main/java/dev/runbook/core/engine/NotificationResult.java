package dev.runbook.core.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a notification went out.
 *
 * @param channel the notifier type
 * @param message the rendered message
 * @param sent    whether it was delivered
 * @param error   why not
 */
public record NotificationResult(String channel, String message, boolean sent, Optional<String> error) {
    public NotificationResult {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(error, "error");
    }
}
