package dev.runbook.slack.internal;

import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.internal.Durations;
import dev.runbook.core.internal.Json;
import dev.runbook.core.retry.Backoff;
import dev.runbook.core.retry.RetryAfter;
import dev.runbook.slack.SlackApiException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls Slack Web API methods with the bot token. Slack answers HTTP 200 with {@code "ok": false} on failure,
 * which is an error here; 429 (with {@code Retry-After}), 5xx and connection failures are retried through
 * {@link Backoff}. A timeout is not retried: the call may have been carried out (a second approval message would
 * confuse the approvers), and the time the engine waits is better spent denying.
 */
public final class SlackWebApi {
    private static final Logger LOG = LoggerFactory.getLogger(SlackWebApi.class);
    private static final int EXCERPT = 200;

    private final URI base;
    private final String token;
    private final HttpClient client;
    private final Duration timeout;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final Clock clock;

    /**
     * A client of the Web API at {@code base} ({@code https://slack.com/api}).
     *
     * @param timeout how long one HTTP request may take
     */
    public SlackWebApi(URI base, String token, HttpClient client, Duration timeout, Backoff backoff, Sleeper sleeper,
                       Clock clock) {
        String b = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.token = Objects.requireNonNull(token, "token");
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Calls a write method with a JSON body ({@code chat.postMessage}, {@code chat.update}). */
    public Map<String, Object> postJson(String method, Map<String, Object> body, String retryKey)
            throws SlackApiException, InterruptedException {
        return call(method, "application/json; charset=utf-8", Json.write(body), retryKey);
    }

    /** Calls a read method with a form body ({@code usergroups.users.list}, which takes no JSON). */
    public Map<String, Object> postForm(String method, Map<String, String> form, String retryKey)
            throws SlackApiException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return call(method, "application/x-www-form-urlencoded", body, retryKey);
    }

    private Map<String, Object> call(String method, String contentType, String body, String retryKey)
            throws SlackApiException, InterruptedException {
        var request = HttpRequest.newBuilder(base.resolve(method)).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        var random = Backoff.seeded(retryKey + "/" + method);
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r;
            try {
                r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (HttpTimeoutException e) {
                throw new SlackApiException(method, Optional.empty(), -1,
                        "Slack " + method + " did not answer within " + Durations.human(timeout), e);
            } catch (IOException e) {
                if (!backoff.allows(attempt + 1)) {
                    throw new SlackApiException(method, Optional.empty(), -1, "Slack " + method + " failed after "
                            + attempt + " attempt(s): " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
                }
                wait(method, attempt, Optional.empty(), random, e.getClass().getSimpleName());
                continue;
            }
            int status = r.statusCode();
            if (status == 429 || status >= 500) {
                Optional<Duration> hint = r.headers().firstValue(RetryAfter.HEADER)
                        .flatMap(v -> RetryAfter.parse(v, clock));
                if (!backoff.allows(attempt + 1)) {
                    throw new SlackApiException(method, Optional.empty(), status, "Slack " + method + " answered HTTP "
                            + status + " " + attempt + " time(s); giving up: " + excerpt(r.body()), null);
                }
                wait(method, attempt, hint, random, "HTTP " + status);
                continue;
            }
            if (status < 200 || status >= 300) {
                throw new SlackApiException(method, Optional.empty(), status,
                        "Slack " + method + " answered HTTP " + status + ": " + excerpt(r.body()), null);
            }
            return okBody(method, status, r.body());
        }
    }

    private void wait(String method, int attempt, Optional<Duration> hint, java.util.random.RandomGenerator random,
                      String why) throws InterruptedException {
        Duration d = backoff.delayBefore(attempt + 1, hint, random);
        LOG.info("Slack {} answered {} (attempt {}); retrying in {}", method, why, attempt, Durations.human(d));
        sleeper.sleep(d);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> okBody(String method, int status, String text) throws SlackApiException {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SlackApiException(method, Optional.empty(), status,
                    "Slack " + method + " answered something that is not JSON: " + excerpt(text), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new SlackApiException(method, Optional.empty(), status,
                    "Slack " + method + " answered JSON that is not an object: " + excerpt(text), null);
        }
        if (!Boolean.TRUE.equals(map.get("ok"))) {
            Optional<String> error = Optional.ofNullable(map.get("error")).map(Object::toString);
            throw new SlackApiException(method, error, status,
                    "Slack " + method + " failed: " + error.orElse("ok is not true, no error code given"), null);
        }
        return (Map<String, Object>) map;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String excerpt(String body) {
        return body.length() <= EXCERPT ? body : body.substring(0, EXCERPT) + "...";
    }
}
