package dev.runbook.core.model;

import java.util.List;

/**
 * What to send when an execution ends.
 *
 * @param onSuccess sent after a successful execution
 * @param onFailure sent after a failed execution (the variable {@code error_message} says why)
 */
public record Notifications(List<Notification> onSuccess, List<Notification> onFailure) {
    public Notifications {
        onSuccess = List.copyOf(onSuccess);
        onFailure = List.copyOf(onFailure);
    }

    /** No notifications. */
    public static Notifications none() {
        return new Notifications(List.of(), List.of());
    }
}
