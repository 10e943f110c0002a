package dev.runbook.dashboard;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.runbook.core.approval.PendingApprovals;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.dashboard.internal.DashboardHandler;
import dev.runbook.dashboard.internal.Tokens;
import dev.runbook.neo4j.AuditQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 002's live incident dashboard, embedded next to the engine: a live page fed by server-sent events, the
 * record of each execution, the runbook library with its figures as charts, and the controls (kill switch,
 * approvals). Either its own JDK {@link HttpServer}:
 *
 * <pre>{@code
 * var feed = DashboardFeed.create();
 * var approvals = new PendingApprovals(Clock.systemUTC());
 * var engine = RunbookEngine.builder().runbooks(runbooks).listener(feed).approvalGateway(approvals).build();
 * try (var dashboard = DashboardServer.builder().engine(engine).feed(feed).approvals(approvals)
 *         .auditQueries(new AuditQueries(driver))      // optional: figures from the Neo4j audit trail
 *         .bind("127.0.0.1", 0).build()) {
 *     System.out.println(dashboard.url());             // carries the token in its fragment
 * }
 * }</pre>
 *
 * or {@link Builder#handler()} mounted on the host's own server, behind its login. Every control needs the
 * token and a confirmation; reads need the token unless {@link Builder#openReads(boolean)}.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final DashboardHandler handler;
    private final String token;

    private DashboardServer(HttpServer server, ExecutorService executor, DashboardHandler handler, String token) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.token = token;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base address, {@code http://127.0.0.1:PORT/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /**
     * The address to open in a browser: the base address with the token in its fragment, which browsers never
     * send to a server (the page keeps it for the tab's session and sends it as a header).
     */
    public String url() {
        return uri() + "#/live?token=" + token;
    }

    /** The access token (generated at start unless the host gave one). */
    public String token() {
        return token;
    }

    /** Stops serving: open event streams end, the port is released. */
    @Override
    public void close() {
        handler.stop();
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("dashboard: request threads still running 5 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the dashboard serves and where. */
    public static final class Builder {
        private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{16,512}");

        private RunbookEngine engine;
        private DashboardFeed feed;
        private PendingApprovals approvals;
        private StatsSource stats;
        private String host = "127.0.0.1";
        private int port;
        private String token;
        private boolean readsNeedToken = true;
        private int maxStreams = 32;

        private Builder() {
        }

        /** The engine shown and controlled (its runbooks, its kill switch). Required. */
        public Builder engine(RunbookEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** The feed registered as the engine's listener. Required. */
        public Builder feed(DashboardFeed feed) {
            this.feed = Objects.requireNonNull(feed, "feed");
            return this;
        }

        /** The engine's approval gateway, when it is a {@link PendingApprovals}: the page then answers it. */
        public Builder approvals(PendingApprovals approvals) {
            this.approvals = Objects.requireNonNull(approvals, "approvals");
            return this;
        }

        /** Figures from a Neo4j audit trail (needs runbook-neo4j on the classpath). */
        public Builder auditQueries(AuditQueries queries) {
            return stats(new AuditStats(queries));
        }

        /** Where the charts' figures come from; default: the executions the feed has seen. */
        public Builder stats(StatsSource stats) {
            this.stats = Objects.requireNonNull(stats, "stats");
            return this;
        }

        /** Address and port to listen on (default {@code 127.0.0.1}, port 0 = any free port). */
        public Builder bind(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("bind: host must not be blank (for instance 127.0.0.1)");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("bind: port must be 0..65535, got " + port);
            }
            this.host = host;
            this.port = port;
            return this;
        }

        /** The access token; default: 32 random bytes generated at start. */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            if (!TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException("token: 16 to 512 characters of letters, digits and ._~+/=-, got "
                        + token.length() + " character(s); leave it out to have one generated");
            }
            this.token = token;
            return this;
        }

        /**
         * Whether reads need no token (default false: they do). For a host that mounts the handler behind its own
         * login; controls need the token whatever this says.
         */
        public Builder openReads(boolean open) {
            this.readsNeedToken = !open;
            return this;
        }

        /** Event streams open at once (default 32): more are refused with 503. */
        public Builder maxStreams(int streams) {
            if (streams < 1 || streams > 10_000) {
                throw new IllegalArgumentException("maxStreams must be 1..10000, got " + streams);
            }
            this.maxStreams = streams;
            return this;
        }

        /** The token this builder will use (generated now if none was given). */
        public String token() {
            if (token == null) {
                token = Tokens.generate();
            }
            return token;
        }

        /**
         * A handler to mount on the host's own server ({@code server.createContext("/dashboard", handler)}); it
         * serves everything below its context's path. Event streams hold one of the server's threads each.
         */
        public HttpHandler handler() {
            return newHandler();
        }

        /** Starts the dashboard's own server. */
        public DashboardServer build() {
            DashboardHandler h = newHandler();
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(host, port), 64);
            } catch (IOException e) {
                throw new UncheckedIOException("dashboard: cannot listen on " + host + ":" + port + ": "
                        + e.getMessage(), e);
            }
            var n = new AtomicInteger();
            ExecutorService ex = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "runbook-dashboard-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(ex);
            server.createContext("/", h);
            server.start();
            var d = new DashboardServer(server, ex, h, token());
            LOG.info("dashboard serving at {}", d.uri());
            return d;
        }

        private DashboardHandler newHandler() {
            if (engine == null) {
                throw new IllegalStateException("dashboard: engine(...) is required");
            }
            if (feed == null) {
                throw new IllegalStateException("dashboard: feed(...) is required: create a DashboardFeed and give it "
                        + "to the engine as a listener (RunbookEngine.builder().listener(feed))");
            }
            StatsSource s = stats != null ? stats : feed.memoryStats();
            return new DashboardHandler(new DashboardHandler.Config(engine, feed.ring(), feed.history(), s,
                    Optional.ofNullable(approvals), token(), readsNeedToken, maxStreams));
        }
    }
}
