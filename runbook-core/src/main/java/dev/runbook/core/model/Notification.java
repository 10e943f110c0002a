package dev.runbook.core.model;

import java.util.Objects;

/**
 * One notification to send, for instance the seed's {@code slack: {channel, message}}.
 *
 * @param channel the notifier type ({@code slack}, {@code webhook}, or one a host registers)
 * @param params  its parameters; string leaves may be templates (the message)
 */
public record Notification(String channel, ParamValue.MapValue params) {
    public Notification {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(params, "params");
    }
}
