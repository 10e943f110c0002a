package dev.runbook.slack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link SlackInteractionHandler} on the JDK's {@link HttpServer}, for hosts without an HTTP server of
 * their own. It answers POSTs on one path (default {@value #DEFAULT_PATH}); it speaks plain HTTP, so put it behind
 * the host's TLS-terminating proxy and give Slack that proxy's URL as the app's Request URL. It binds to the
 * loopback address unless told otherwise.
 */
public final class SlackCallbackServer implements AutoCloseable {
    /** The path unless configured. */
    public static final String DEFAULT_PATH = "/slack/interactions";

    private static final Logger LOG = LoggerFactory.getLogger(SlackCallbackServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final String path;

    private SlackCallbackServer(Builder b) throws IOException {
        this.path = b.path;
        this.server = HttpServer.create(new InetSocketAddress(b.address, b.port), 0);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "slack-callback");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        var handler = b.handler;
        server.createContext(path, ex -> serve(ex, handler));
        server.start();
        LOG.info("Slack interaction callbacks served at {}", uri());
    }

    /** A builder for a server of this handler. */
    public static Builder builder(SlackInteractionHandler handler) {
        return new Builder(handler);
    }

    /** The port it listens on (the one chosen when configured with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://<address>:<port><path>}. */
    public URI uri() {
        var a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + path);
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange ex, SlackInteractionHandler handler) throws IOException {
        try (ex) {
            SlackResponse r;
            if (!ex.getRequestURI().getPath().equals(path)) {
                r = SlackResponse.error(404, "not found");
            } else if (!ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().add("Allow", "POST");
                r = SlackResponse.error(405, "use POST");
            } else {
                byte[] body = read(ex.getRequestBody());
                r = body == null ? SlackResponse.error(413, "body too large")
                        : handler.handle(ex.getRequestHeaders(), body);
            }
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", SlackResponse.CONTENT_TYPE);
            ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                ex.getResponseBody().write(out);
            }
        } catch (RuntimeException e) {
            LOG.warn("Slack interaction callback failed", e);
            throw e;
        }
    }

    /** The body, or null when it is longer than the handler takes (read no further than that). */
    private static byte[] read(InputStream in) throws IOException {
        byte[] b = in.readNBytes(SlackInteractionHandler.MAX_BODY_BYTES + 1);
        return b.length > SlackInteractionHandler.MAX_BODY_BYTES ? null : b;
    }

    /** Builds a {@link SlackCallbackServer}; each setter checks its value at once. */
    public static final class Builder {
        private final SlackInteractionHandler handler;
        private InetAddress address = InetAddress.getLoopbackAddress();
        private int port;
        private String path = DEFAULT_PATH;

        private Builder(SlackInteractionHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** The address to bind (default loopback; {@code 0.0.0.0} for every interface). */
        public Builder bindAddress(InetAddress address) {
            this.address = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        /** The port (default 0: an ephemeral port, see {@link SlackCallbackServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535 (0 for an ephemeral port), got " + port);
            }
            this.port = port;
            return this;
        }

        /** The path Slack posts to (default {@value SlackCallbackServer#DEFAULT_PATH}). */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
                throw new IllegalArgumentException("path must start with '/' and hold no spaces, '?' or '#', got '"
                        + path + "'");
            }
            this.path = path;
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @throws UncheckedIOException naming the address when it cannot bind
         */
        public SlackCallbackServer start() {
            try {
                return new SlackCallbackServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve Slack callbacks on " + address.getHostAddress() + ":"
                        + port + ": " + e.getMessage(), e);
            }
        }
    }
}
