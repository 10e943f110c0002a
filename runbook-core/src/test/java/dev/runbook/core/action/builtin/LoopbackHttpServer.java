package dev.runbook.core.action.builtin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 (a free port) for tests: records every request and answers with a
 * programmable reply. Close it after the test.
 */
public final class LoopbackHttpServer implements AutoCloseable {

    /** A request the server received. */
    public record Received(String method, String path, String query, Map<String, String> headers, String body) {
        /** The first value of a header (name case-insensitive), or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What to answer. */
    public record Reply(int status, Map<String, String> headers, String body) {
        /** A reply with a content type. */
        public static Reply of(int status, String contentType, String body) {
            return new Reply(status, Map.of("Content-Type", contentType), body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Reply> handler = r -> Reply.of(200, "text/plain", "ok");

    private LoopbackHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server answering 200 "ok" to everything. */
    public static LoopbackHttpServer start() throws IOException {
        return new LoopbackHttpServer();
    }

    /** Answers every later request with this reply. */
    public LoopbackHttpServer respond(int status, String contentType, String body) {
        return respond(r -> Reply.of(status, contentType, body));
    }

    /** Answers every later request with what this function returns (it may block). */
    public LoopbackHttpServer respond(Function<Received, Reply> handler) {
        this.handler = handler;
        return this;
    }

    /** {@code http://127.0.0.1:PORT} plus this path. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The requests received so far (recorded before the reply is computed). */
    public List<Received> requests() {
        return List.copyOf(received);
    }

    /** How many requests arrived. */
    public int count() {
        return received.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            var headers = new LinkedHashMap<String, String>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var r = new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery(), headers, body);
            received.add(r);
            Reply reply = handler.apply(r);
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
