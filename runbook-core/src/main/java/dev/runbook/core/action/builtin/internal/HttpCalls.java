package dev.runbook.core.action.builtin.internal;

import dev.runbook.core.action.ActionException;
import dev.runbook.core.internal.Durations;
import dev.runbook.core.internal.Json;
import dev.runbook.core.retry.RetryAfter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The HTTP work shared by the {@code webhook} and {@code slack_notify} actions and the Slack and webhook
 * notifiers: host allow-list checks, sending with a timeout, classifying failures as retryable or
 * permanent, and reading JSON responses. Internal: not part of the public API.
 */
public final class HttpCalls {
    /** How much of a response body error messages quote. */
    public static final int BODY_EXCERPT = 200;

    /**
     * Headers that frame the message or steer its hops, which the HTTP client sets itself. A runbook that could set
     * them could smuggle a second request past a proxy ({@code Transfer-Encoding} next to a {@code Content-Length}),
     * keep or upgrade connections, or send the request to another virtual host than its URL names.
     */
    public static final List<String> FRAMING_HEADERS = List.of("Transfer-Encoding", "Content-Length", "Connection",
            "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade", "Host", "Expect");

    private static final Set<String> FRAMING = FRAMING_HEADERS.stream().map(h -> h.toLowerCase(Locale.ROOT))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private HttpCalls() {
    }

    /**
     * Checks a header name a runbook supplies.
     *
     * @param param the parameter the headers came from, for the message
     * @throws ActionException (permanent) naming the header when it is one of {@link #FRAMING_HEADERS}
     */
    public static void checkSuppliedHeader(String name, String param) throws ActionException {
        if (FRAMING.contains(name.trim().toLowerCase(Locale.ROOT))) {
            throw ActionException.permanent("parameter '" + param + "': header '" + name + "' is refused: it frames "
                    + "or routes the request (" + String.join(", ", FRAMING_HEADERS) + "), which the HTTP client sets "
                    + "itself; remove it from the step's headers");
        }
    }

    /**
     * A request to send.
     *
     * @param method  GET, POST, PUT, PATCH or DELETE
     * @param url     absolute http(s) URL
     * @param headers headers to set
     * @param body    the body, sent as UTF-8
     * @param timeout how long to wait for the response
     */
    public record Request(String method, URI url, Map<String, String> headers, Optional<String> body, Duration timeout) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(timeout, "timeout");
        }

        /** A POST of this JSON value with {@code Content-Type: application/json}. */
        public static Request postJson(URI url, Object payload, Duration timeout) {
            return new Request("POST", url, Map.of("Content-Type", "application/json"),
                    Optional.of(Json.write(payload)), timeout);
        }
    }

    /**
     * A response.
     *
     * @param status  the status code
     * @param body    the body as text
     * @param headers the first value of each header, names in lower case
     */
    public record Response(int status, String body, Map<String, String> headers) {
        public Response {
            Objects.requireNonNull(body, "body");
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** Whether the status is 2xx. */
        public boolean successful() {
            return status >= 200 && status < 300;
        }

        /** The body parsed as JSON when the content type says JSON and it parses, else the text. */
        public Object parsedBody() {
            String type = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
            if (type.contains("json") && !body.isBlank()) {
                try {
                    return Json.parse(body);
                } catch (IllegalArgumentException e) {
                    return body;
                }
            }
            return body;
        }

        /** The first {@value #BODY_EXCERPT} characters of the body. */
        public String bodyExcerpt() {
            return body.length() <= BODY_EXCERPT ? body : body.substring(0, BODY_EXCERPT) + "...";
        }
    }

    /** An HTTP client for webhooks: HTTP/1.1, never following redirects, 10 s connect timeout. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Checks that the URL is http(s) with a host on the allow-list.
     *
     * @param param the parameter the URL came from, for the message
     * @throws ActionException (permanent) saying how to allow the host
     */
    public static void checkAllowed(URI url, String param, Set<String> allowedHosts) throws ActionException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw ActionException.permanent("parameter '" + param + "' must be an http or https URL, got '"
                    + safe(url) + "'");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw ActionException.permanent("parameter '" + param + "' has no host: '" + safe(url) + "'");
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (!allowedHosts.contains(h)) {
            throw ActionException.permanent("webhook host '" + h + "' (parameter '" + param + "') is not allowed"
                    + (allowedHosts.isEmpty() ? " (no host is allowed yet)" : " (allowed: " + String.join(", ",
                    new java.util.TreeSet<>(allowedHosts)) + ")")
                    + "; allow it with BuiltinActionsConfig.custom().allowWebhookHost(\"" + h + "\"), the system property "
                    + "runbook.webhook.allowed-hosts or the environment variable RUNBOOK_WEBHOOK_ALLOWED_HOSTS "
                    + "(comma-separated host names)");
        }
    }

    /**
     * Checks a configured target URL (absolute http(s) with a host), for constructors.
     *
     * @throws IllegalArgumentException naming {@code what}; the message shows only scheme and host
     */
    public static URI checkTarget(URI url, String what) {
        Objects.requireNonNull(url, what);
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an absolute http(s) URL with a host, got '"
                    + (url.getHost() == null ? url.getScheme() + ":..." : scheme + "://" + url.getHost() + "/...") + "'");
        }
        return url;
    }

    /**
     * Checks a configured timeout.
     *
     * @throws IllegalArgumentException when it is not positive
     */
    public static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return timeout;
    }

    /**
     * Parses a URL parameter.
     *
     * @throws ActionException (permanent) naming the parameter and value
     */
    public static URI parseUrl(String text, String param) throws ActionException {
        try {
            return new URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            throw ActionException.permanent("parameter '" + param + "' is not a valid URL: '" + text + "' ("
                    + e.getReason() + ")");
        }
    }

    /**
     * Sends the request.
     *
     * @param what what is being called, for messages ({@code webhook POST https://host/path})
     * @throws ActionException retryable on a timeout or I/O error, permanent on a request Java refuses to send
     *                         (for instance a restricted header)
     */
    public static Response send(HttpClient client, Request request, String what)
            throws ActionException, InterruptedException {
        HttpRequest httpRequest;
        try {
            var b = HttpRequest.newBuilder(request.url()).timeout(request.timeout());
            request.headers().forEach(b::header);
            b.method(request.method(), request.body()
                    .map(s -> HttpRequest.BodyPublishers.ofString(s, StandardCharsets.UTF_8))
                    .orElseGet(HttpRequest.BodyPublishers::noBody));
            httpRequest = b.build();
        } catch (IllegalArgumentException e) {
            throw new ActionException(what + " cannot be sent: " + e.getMessage(), false, e);
        }
        HttpResponse<String> r;
        try {
            r = client.send(httpRequest, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ActionException(what + " timed out after " + Durations.human(request.timeout()), true, e);
        } catch (IOException e) {
            throw new ActionException(what + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), true, e);
        }
        var headers = new LinkedHashMap<String, String>();
        r.headers().map().forEach((k, v) -> {
            if (!k.startsWith(":") && !v.isEmpty()) {
                headers.putIfAbsent(k.toLowerCase(Locale.ROOT), v.get(0));
            }
        });
        return new Response(r.statusCode(), r.body() == null ? "" : r.body(), headers);
    }

    /**
     * Checks the status.
     *
     * @param expected the statuses that count as success
     * @param clock    now, for a {@code Retry-After} given as an HTTP-date
     * @throws ActionException retryable for 5xx and 429, permanent otherwise; the message holds the status and
     *                         the start of the body; a retryable one carries the response's valid
     *                         {@code Retry-After}, which the engine's next wait honours up to the step's cap
     */
    public static void requireStatus(Response response, IntPredicate expected, String what, Clock clock)
            throws ActionException {
        if (expected.test(response.status())) {
            return;
        }
        int s = response.status();
        boolean retryable = s >= 500 || s == 429;
        Optional<Duration> retryAfter = retryable
                ? Optional.ofNullable(response.headers().get("retry-after")).flatMap(v -> RetryAfter.parse(v, clock))
                : Optional.empty();
        throw new ActionException(what + " returned HTTP " + s
                + retryAfter.map(d -> " (Retry-After " + Durations.human(d) + ")").orElse("")
                + (response.body().isEmpty() ? "" : ": " + response.bodyExcerpt()), retryable).retryAfter(retryAfter);
    }

    /** The JSON payload of a Slack incoming webhook: {@code {"text": ..., "channel": ...}}. */
    public static Map<String, Object> slackPayload(String text, Optional<String> channel) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("text", text);
        channel.filter(c -> !c.isBlank()).ifPresent(c -> payload.put("channel", c));
        return payload;
    }

    /** The URL without its query and fragment (which may carry secrets), for messages and summaries. */
    public static String safe(URI url) {
        if (url.getScheme() == null || url.getRawAuthority() == null) {
            return url.getScheme() == null ? "(relative URL)" : url.getScheme() + ":...";
        }
        String authority = url.getRawAuthority();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1); // drop user:password
        }
        return url.getScheme() + "://" + authority + path(url);
    }

    /** The URL's raw path, {@code /} when empty. */
    public static String path(URI url) {
        String p = url.getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }
}
