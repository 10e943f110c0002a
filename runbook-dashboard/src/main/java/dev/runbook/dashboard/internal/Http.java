package dev.runbook.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.runbook.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Small helpers over {@link HttpExchange}: JSON replies, bounded bodies, query strings, safe headers. */
final class Http {
    static final int MAX_BODY = 16 * 1024;

    private Http() {
    }

    /** Headers every reply carries: the page loads nothing from elsewhere and is never framed. */
    static void secure(HttpExchange ex) {
        var h = ex.getResponseHeaders();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        h.set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    }

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    static void error(HttpExchange ex, int status, String message) throws IOException {
        json(ex, status, Map.of("error", message));
    }

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        secure(ex);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The request body as a JSON object, at most {@link #MAX_BODY} bytes. */
    static Map<String, Object> jsonBody(HttpExchange ex) throws IOException, BadRequest {
        byte[] raw = readBounded(ex.getRequestBody());
        Object parsed;
        try {
            parsed = Json.parse(new String(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, "body: not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new BadRequest(400, "body: expected a JSON object such as {\"confirm\": true}");
        }
        var out = new LinkedHashMap<String, Object>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static byte[] readBounded(InputStream in) throws IOException, BadRequest {
        var buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = in.read(chunk)) > 0) {
            if (buf.size() + n > MAX_BODY) {
                throw new BadRequest(413, "body: larger than " + MAX_BODY + " bytes");
            }
            buf.write(chunk, 0, n);
        }
        return buf.toByteArray();
    }

    /** The query's parameters (the last value of a repeated one). */
    static Map<String, String> query(HttpExchange ex) {
        var out = new LinkedHashMap<String, String>();
        String q = ex.getRequestURI().getRawQuery();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** An integer query parameter, or its default; a bad one is a 400 naming it. */
    static int intParam(Map<String, String> q, String name, int dflt) throws BadRequest {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadRequest(400, name + ": expected a whole number, got '" + Views.clip(v) + "'");
        }
    }

    /**
     * The token sent as a header: {@code X-Runbook-Token}, or a bearer {@code Authorization} (free when the host's
     * login does not use that header).
     */
    static Optional<String> tokenHeader(HttpExchange ex) {
        String x = ex.getRequestHeaders().getFirst("X-Runbook-Token");
        if (x != null && !x.isBlank()) {
            return Optional.of(x.trim());
        }
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(h.substring(7).trim());
    }

    /** A request the handler refuses, with its status and a message naming what to fix. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
