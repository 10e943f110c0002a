package dev.runbook.core.notify;

import java.util.Map;
import java.util.Objects;

/**
 * A rendered notification.
 *
 * @param channel     the notifier type
 * @param params      rendered parameters, for instance {@code channel} and {@code message} for Slack
 * @param success     whether the execution succeeded
 * @param executionId the execution
 * @param runbookId   the runbook
 * @param incidentId  the incident
 */
public record NotificationMessage(String channel, Map<String, Object> params, boolean success, String executionId,
                                  String runbookId, String incidentId) {
    public NotificationMessage {
        Objects.requireNonNull(channel, "channel");
        params = Map.copyOf(params);
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(runbookId, "runbookId");
        Objects.requireNonNull(incidentId, "incidentId");
    }

    /** The {@code message} parameter as text, or empty. */
    public String message() {
        Object m = params.get("message");
        return m == null ? "" : m.toString();
    }
}
