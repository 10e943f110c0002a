package dev.runbook.core.notify;

import dev.runbook.core.action.builtin.internal.HttpCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * Sends notifications of channel {@code webhook} as a JSON POST of
 * {@code {execution_id, runbook_id, incident_id, success, message, params}} to a fixed URL.
 */
public final class WebhookNotifier implements Notifier {
    /** How long a post may take unless configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final HttpClient client;
    private final Duration timeout;

    /** A notifier posting to this URL with its own HTTP client. */
    public WebhookNotifier(URI url) {
        this(url, HttpCalls.defaultClient());
    }

    /** A notifier posting to this URL with this client. */
    public WebhookNotifier(URI url, HttpClient client) {
        this(url, client, DEFAULT_TIMEOUT);
    }

    /**
     * A notifier posting to this URL with this client and request timeout.
     *
     * @throws IllegalArgumentException when the URL is not absolute http(s) or the timeout is not positive
     */
    public WebhookNotifier(URI url, HttpClient client, Duration timeout) {
        this.url = HttpCalls.checkTarget(url, "webhook URL");
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = HttpCalls.checkTimeout(timeout);
    }

    @Override
    public String channel() {
        return "webhook";
    }

    /**
     * Posts the notification.
     *
     * @throws dev.runbook.core.action.ActionException when the endpoint answers with a non-2xx status (the
     *                                                 message holds it) or cannot be reached
     */
    @Override
    public void send(NotificationMessage message) throws Exception {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("execution_id", message.executionId());
        payload.put("runbook_id", message.runbookId());
        payload.put("incident_id", message.incidentId());
        payload.put("success", message.success());
        payload.put("message", message.message());
        payload.put("params", message.params());
        String what = "notification webhook POST " + HttpCalls.safe(url);
        var response = HttpCalls.send(client, HttpCalls.Request.postJson(url, payload, timeout), what);
        HttpCalls.requireStatus(response, s -> s >= 200 && s < 300, what, Clock.systemUTC());
    }

    @Override
    public String toString() {
        return "WebhookNotifier[" + HttpCalls.safe(url) + "]";
    }
}
