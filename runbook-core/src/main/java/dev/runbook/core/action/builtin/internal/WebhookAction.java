package dev.runbook.core.action.builtin.internal;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.action.builtin.BuiltinActionsConfig;
import dev.runbook.core.internal.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/** {@code webhook}: calls an HTTP endpoint on an allowed host. */
final class WebhookAction extends BaseAction {
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final BuiltinActionsConfig config;
    private final Supplier<HttpClient> client;

    WebhookAction(BuiltinActionsConfig config, Supplier<HttpClient> client) {
        super("webhook", "Calls an HTTP(S) endpoint on an allowed host and outputs its status, body and headers",
                ParamSchema.of(
                        ParamSpec.required("url", ParamType.STRING, "the http(s) URL; its host must be allowed"),
                        ParamSpec.withDefault("method", ParamType.STRING, "POST", "GET, POST, PUT, PATCH or DELETE"),
                        ParamSpec.optional("headers", ParamType.MAP, "request headers"),
                        ParamSpec.optional("body", ParamType.ANY,
                                "the body: a map or list is sent as JSON, text as is"),
                        ParamSpec.optional("timeout", ParamType.DURATION, "how long to wait for the response"),
                        ParamSpec.optional("expect_status", ParamType.LIST,
                                "the statuses that count as success (default: any 2xx)")),
                true);
        this.config = config;
        this.client = client;
    }

    @Override
    public ActionResult execute(ActionContext ctx) throws Exception {
        URI url = HttpCalls.parseUrl(ctx.string("url"), "url");
        String method = ctx.string("method").trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw ActionException.permanent("parameter 'method' must be one of " + String.join(", ", METHODS)
                    + ", got '" + ctx.string("method") + "'");
        }
        HttpCalls.checkAllowed(url, "url", config.allowedWebhookHosts());
        var headers = headers(ctx);
        Optional<String> body = body(ctx, method);
        if (body.isPresent() && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
            headers.put("Content-Type", "application/json");
        }
        IntPredicate expected = expected(ctx);
        Duration timeout = Optional.ofNullable((Duration) ctx.params().get("timeout")).orElse(config.defaultTimeout());
        positive(timeout, "timeout");
        String host = url.getHost().toLowerCase(Locale.ROOT);
        String target = method + " " + HttpCalls.safe(url);
        var touched = new TouchedResource("Webhook", "", host, method + " " + HttpCalls.path(url));
        if (ctx.dryRun()) {
            var out = new LinkedHashMap<String, Object>();
            out.put("dry_run", true);
            out.put("method", method);
            out.put("url", HttpCalls.safe(url));
            return new ActionResult(Optional.of(out), List.of(touched), "dry run: would send " + target);
        }
        Duration effective = ctx.remaining(timeout);
        if (effective.isZero()) {
            throw ActionException.retryable("no time left before the step's deadline to call webhook " + target);
        }
        if (effective.compareTo(timeout) > 0) {
            effective = timeout;
        }
        var request = new HttpCalls.Request(method, url, headers, body, effective);
        ctx.logger().debug("calling webhook {}", target);
        var response = HttpCalls.send(client.get(), request, "webhook " + target);
        HttpCalls.requireStatus(response, expected, "webhook " + target, ctx.clock());
        var out = new LinkedHashMap<String, Object>();
        out.put("status", (long) response.status());
        out.put("body", response.parsedBody());
        out.put("headers", response.headers());
        return new ActionResult(Optional.of(out), List.of(touched), target + " -> " + response.status());
    }

    private static Map<String, String> headers(ActionContext ctx) throws ActionException {
        var out = new LinkedHashMap<String, String>();
        @SuppressWarnings("unchecked")
        var given = (Map<String, Object>) ctx.params().get("headers");
        if (given == null) {
            return out;
        }
        for (var e : given.entrySet()) {
            HttpCalls.checkSuppliedHeader(e.getKey(), "headers");
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw ActionException.permanent("parameter 'headers': header '" + e.getKey()
                        + "' must have a text value, got " + (v == null ? "null" : v.getClass().getSimpleName()));
            }
            String text = v.toString();
            if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
                throw ActionException.permanent("parameter 'headers': header '" + e.getKey()
                        + "' must not contain line breaks");
            }
            out.put(e.getKey(), text);
        }
        return out;
    }

    private static Optional<String> body(ActionContext ctx, String method) throws ActionException {
        Object body = ctx.params().get("body");
        if (body == null) {
            return Optional.empty();
        }
        if (method.equals("GET")) {
            throw ActionException.permanent("parameter 'body' cannot be sent with method GET; use POST, PUT or PATCH");
        }
        if (body instanceof String s) {
            return Optional.of(s);
        }
        try {
            return Optional.of(Json.write(body));
        } catch (IllegalArgumentException e) {
            throw ActionException.permanent("parameter 'body' cannot be written as JSON: " + e.getMessage());
        }
    }

    private static IntPredicate expected(ActionContext ctx) throws ActionException {
        @SuppressWarnings("unchecked")
        var given = (List<Object>) ctx.params().get("expect_status");
        if (given == null) {
            return s -> s >= 200 && s < 300;
        }
        if (given.isEmpty()) {
            throw ActionException.permanent("parameter 'expect_status' must list at least one HTTP status");
        }
        Set<Integer> statuses = new LinkedHashSet<>();
        for (Object o : given) {
            Integer s = null;
            if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                s = n.intValue();
            } else if (o instanceof String str && str.trim().matches("\\d{3}")) {
                s = Integer.parseInt(str.trim());
            }
            if (s == null || s < 100 || s > 599) {
                throw ActionException.permanent("parameter 'expect_status' must hold HTTP status codes (100-599), got "
                        + (o instanceof String ? "'" + o + "'" : String.valueOf(o)));
            }
            statuses.add(s);
        }
        return statuses::contains;
    }
}
