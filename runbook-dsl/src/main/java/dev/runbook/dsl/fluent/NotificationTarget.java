package dev.runbook.dsl.fluent;

import java.util.Map;

/** Where a notification goes: exactly one channel per notification. */
public interface NotificationTarget {

    /** The seed's {@code slack: {channel, message}}; the message may be a template. */
    NotificationStage slack(String channel, String message);

    /** {@code slack: {message}}, to the webhook's default channel. */
    NotificationStage slack(String message);

    /**
     * Any notifier channel with its parameters, for instance {@code notify("webhook", Map.of("message", ".."))}.
     *
     * @throws RunbookDefinitionException for a blank channel or a parameter value of an unsupported type
     */
    NotificationStage notify(String channel, Map<String, ?> params);
}
