package dev.runbook.core.notify;

import dev.runbook.core.action.builtin.internal.HttpCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends notifications of channel {@code slack} to a Slack incoming webhook as
 * {@code {"text": message, "channel": channel}} (the channel only when the notification's {@code channel}
 * parameter is given). The webhook URL is a secret: it never appears in messages or logs beyond its host.
 */
public final class SlackNotifier implements Notifier {
    /** How long a post may take unless configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI webhookUrl;
    private final HttpClient client;
    private final Duration timeout;

    /** A notifier posting to this incoming webhook with its own HTTP client. */
    public SlackNotifier(URI webhookUrl) {
        this(webhookUrl, HttpCalls.defaultClient());
    }

    /** A notifier posting to this incoming webhook with this client. */
    public SlackNotifier(URI webhookUrl, HttpClient client) {
        this(webhookUrl, client, DEFAULT_TIMEOUT);
    }

    /**
     * A notifier posting to this incoming webhook with this client and request timeout.
     *
     * @throws IllegalArgumentException when the URL is not absolute http(s) or the timeout is not positive
     */
    public SlackNotifier(URI webhookUrl, HttpClient client, Duration timeout) {
        this.webhookUrl = HttpCalls.checkTarget(webhookUrl, "Slack webhook URL");
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = HttpCalls.checkTimeout(timeout);
    }

    @Override
    public String channel() {
        return "slack";
    }

    /**
     * Posts the message.
     *
     * @throws dev.runbook.core.action.ActionException when Slack answers with a non-2xx status (the message
     *                                                 holds it) or cannot be reached
     */
    @Override
    public void send(NotificationMessage message) throws Exception {
        Object channel = message.params().get("channel");
        var payload = HttpCalls.slackPayload(message.message(),
                Optional.ofNullable(channel).map(Object::toString));
        String what = "Slack webhook https://" + webhookUrl.getHost() + "/...";
        var response = HttpCalls.send(client, HttpCalls.Request.postJson(webhookUrl, payload, timeout), what);
        HttpCalls.requireStatus(response, s -> s >= 200 && s < 300, what, Clock.systemUTC());
    }

    @Override
    public String toString() {
        return "SlackNotifier[" + webhookUrl.getHost() + "]";
    }
}
