package dev.runbook.core.notify;

import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.builtin.internal.HttpCalls;
import dev.runbook.core.internal.Durations;
import dev.runbook.core.retry.Backoff;
import dev.runbook.core.retry.RetryAfter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications of channel {@code teams} to a Microsoft Teams incoming webhook as a MessageCard:
 * {@code @type MessageCard}, {@code @context https://schema.org/extensions}, a {@code summary} and {@code title}
 * ({@code Runbook <id> succeeded} or {@code failed}, or the notification's {@code title} parameter), a
 * {@code themeColor} by outcome (green {@value #SUCCESS_COLOR}, red {@value #FAILURE_COLOR}), the message as
 * {@code text} and one section of facts: runbook, incident, execution, outcome and the notification's other
 * parameters. Notification values are sent as JSON values, never spliced into the card's text.
 *
 * <p>Teams answers 200 with the body {@code 1} on success. An error is a 4xx with a text body, or, from older
 * connectors, a 200 whose body is that text: both fail the send with the status and body. 429 and 5xx are
 * retried through {@link Backoff} (by default 3 attempts, 1 s doubling up to 30 s), honouring {@code Retry-After}
 * up to the cap. The webhook URL is a secret: messages show only its host.
 */
public final class TeamsNotifier implements Notifier {
    /** How long a post may take unless configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Retries of 429 and 5xx unless configured. */
    public static final Backoff DEFAULT_BACKOFF = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), 3);
    /** The theme colour of a success. */
    public static final String SUCCESS_COLOR = "2EB886";
    /** The theme colour of a failure. */
    public static final String FAILURE_COLOR = "D00000";

    private static final Logger LOG = LoggerFactory.getLogger(TeamsNotifier.class);

    private final URI webhookUrl;
    private final HttpClient client;
    private final Duration timeout;
    private final Backoff backoff;
    private final Clock clock;

    /** A notifier posting to this incoming webhook with its own HTTP client. */
    public TeamsNotifier(URI webhookUrl) {
        this(webhookUrl, HttpCalls.defaultClient());
    }

    /** A notifier posting to this incoming webhook with this client. */
    public TeamsNotifier(URI webhookUrl, HttpClient client) {
        this(webhookUrl, client, DEFAULT_TIMEOUT);
    }

    /**
     * A notifier posting to this incoming webhook with this client and request timeout.
     *
     * @throws IllegalArgumentException when the URL is not absolute http(s) or the timeout is not positive
     */
    public TeamsNotifier(URI webhookUrl, HttpClient client, Duration timeout) {
        this(webhookUrl, client, timeout, DEFAULT_BACKOFF, Clock.systemUTC());
    }

    /**
     * A notifier with its own retry policy; {@code clock} reads {@code Retry-After} dates.
     *
     * @throws IllegalArgumentException when the URL is not absolute http(s) or the timeout is not positive
     */
    public TeamsNotifier(URI webhookUrl, HttpClient client, Duration timeout, Backoff backoff, Clock clock) {
        this.webhookUrl = HttpCalls.checkTarget(webhookUrl, "Teams webhook URL");
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = HttpCalls.checkTimeout(timeout);
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String channel() {
        return "teams";
    }

    /**
     * Posts the card.
     *
     * @throws ActionException when Teams refuses it (the message holds the status and body), keeps answering 429 or
     *                         5xx, or cannot be reached
     */
    @Override
    public void send(NotificationMessage message) throws Exception {
        String what = "Teams webhook https://" + webhookUrl.getHost() + "/...";
        var request = HttpCalls.Request.postJson(webhookUrl, card(message), timeout);
        var random = Backoff.seeded(message.executionId() + "/teams");
        for (int attempt = 1; ; attempt++) {
            var response = HttpCalls.send(client, request, what);
            int s = response.status();
            if ((s == 429 || s >= 500) && backoff.allows(attempt + 1)) {
                Optional<Duration> hint = Optional.ofNullable(response.headers().get("retry-after"))
                        .flatMap(v -> RetryAfter.parse(v, clock));
                Duration wait = backoff.delayBefore(attempt + 1, hint, random);
                LOG.info("{} answered HTTP {} (attempt {}); retrying in {}", what, s, attempt, Durations.human(wait));
                Thread.sleep(wait.toMillis());
                continue;
            }
            HttpCalls.requireStatus(response, st -> st >= 200 && st < 300, what, clock);
            String body = response.body().trim();
            if (!body.isEmpty() && !body.equals("1")) {
                // Older connectors report errors as 200 with the error as text.
                throw ActionException.permanent(what + " did not accept the card (HTTP " + s + "): "
                        + response.bodyExcerpt());
            }
            return;
        }
    }

    /** The MessageCard for this notification. */
    static Map<String, Object> card(NotificationMessage m) {
        String outcome = m.success() ? "succeeded" : "failed";
        Object t = m.params().get("title");
        String title = t != null && !t.toString().isBlank() ? t.toString() : "Runbook " + m.runbookId() + " " + outcome;
        List<Map<String, Object>> facts = new ArrayList<>();
        facts.add(fact("Runbook", m.runbookId()));
        facts.add(fact("Incident", m.incidentId()));
        facts.add(fact("Execution", m.executionId()));
        facts.add(fact("Outcome", outcome));
        new TreeMap<>(m.params()).forEach((k, v) -> {
            if (!k.equals("message") && !k.equals("title")) {
                facts.add(fact(k, String.valueOf(v)));
            }
        });
        var card = new LinkedHashMap<String, Object>();
        card.put("@type", "MessageCard");
        card.put("@context", "https://schema.org/extensions");
        card.put("summary", title);
        card.put("themeColor", m.success() ? SUCCESS_COLOR : FAILURE_COLOR);
        card.put("title", title);
        card.put("text", m.message().isEmpty() ? title : m.message());
        card.put("sections", List.of(Map.of("facts", facts)));
        return card;
    }

    private static Map<String, Object> fact(String name, String value) {
        var f = new LinkedHashMap<String, Object>();
        f.put("name", name);
        f.put("value", value);
        return f;
    }

    @Override
    public String toString() {
        return "TeamsNotifier[" + webhookUrl.getHost() + "]";
    }
}
