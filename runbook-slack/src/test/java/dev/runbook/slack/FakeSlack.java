package dev.runbook.slack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runbook.core.internal.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Slack's Web API on loopback, answering in Slack's documented shapes: {@code chat.postMessage} and
 * {@code chat.update} with {@code {"ok":true,"channel":"C1","ts":"1700000000.000100",...}},
 * {@code usergroups.users.list} with {@code {"ok":true,"users":[...]}}. Each method's answer can be replaced, and
 * every request is queued per method so a test can wait for it without sleeping.
 */
final class FakeSlack implements AutoCloseable {
    static final String TS = "1700000000.000100";

    record Call(String method, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(body);
        }
    }

    record Reply(int status, Map<String, String> headers, String body) {
        static Reply ok(String json) {
            return new Reply(200, Map.of("Content-Type", "application/json; charset=utf-8"), json);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-slack");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, BlockingQueue<Call>> calls = new ConcurrentHashMap<>();
    private final List<Call> all = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Call, Reply>> replies = new ConcurrentHashMap<>();
    /** Released at close, so handlers that hang let the server stop. */
    final CountDownLatch released = new CountDownLatch(1);
    volatile List<String> groupMembers = List.of();

    FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/api/", this::handle);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
    }

    void reply(String method, Function<Call, Reply> reply) {
        replies.put(method, reply);
    }

    /** Waits up to 5 s for the next call of this method. */
    Call next(String method) throws InterruptedException {
        Call c = queue(method).poll(5, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no " + method + " call within 5 s; calls so far: "
                    + all.stream().map(Call::method).toList());
        }
        return c;
    }

    /** Every call so far. */
    List<Call> calls() {
        return List.copyOf(all);
    }

    long count(String method) {
        return all.stream().filter(c -> c.method().equals(method)).count();
    }

    private BlockingQueue<Call> queue(String method) {
        return calls.computeIfAbsent(method, m -> new LinkedBlockingQueue<>());
    }

    private Reply defaultReply(Call c) {
        return switch (c.method()) {
            case "chat.postMessage" -> Reply.ok("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"" + TS + "\","
                    + "\"message\":{\"type\":\"message\",\"bot_id\":\"B1\",\"text\":\"Approval needed\"}}");
            case "chat.update" -> Reply.ok("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"" + TS + "\",\"text\":\"updated\"}");
            case "usergroups.users.list" -> Reply.ok(Json.write(Map.of("ok", true, "users", groupMembers)));
            default -> Reply.ok("{\"ok\":false,\"error\":\"unknown_method\"}");
        };
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestURI().getPath().substring("/api/".length());
            var headers = new java.util.LinkedHashMap<String, String>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            var call = new Call(method, headers, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            all.add(call);
            queue(method).add(call);
            Reply r = replies.getOrDefault(method, this::defaultReply).apply(call);
            r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] b = r.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(r.status(), b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                ex.getResponseBody().write(b);
            }
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
