package dev.runbook.mcp;

import dev.runbook.mcp.internal.ErrorBodies;
import dev.runbook.mcp.internal.HttpGuard;
import dev.runbook.mcp.internal.TokenFile;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server over streamable HTTP at {@code http://127.0.0.1:<port>/mcp}, on an embedded Tomcat bound to the
 * loopback interface only: the executor tools must not be reachable from the network. Loopback is not enough (any
 * local process, or a page in a local browser, can connect), so by default each request needs the bearer token
 * ({@link McpHttpOptions}), and Host and Origin must name this server exactly. Error bodies are plain JSON-RPC errors
 * with a message; stack traces go to the log only.
 */
public final class McpHttpServer implements AutoCloseable {
    /** The endpoint's path. */
    public static final String ENDPOINT = "/mcp";
    private static final Logger LOG = LoggerFactory.getLogger(McpHttpServer.class);

    private final Tomcat tomcat;
    private final McpSyncServer server;
    private final int port;
    private final Optional<Path> tokenFile;

    private McpHttpServer(Tomcat tomcat, McpSyncServer server, int port, Optional<Path> tokenFile) {
        this.tomcat = tomcat;
        this.server = server;
        this.port = port;
        this.tokenFile = tokenFile;
    }

    static McpHttpServer start(RunbookMcpServer runbooks, McpHttpOptions options) {
        Optional<String> token = options.authentication()
                ? Optional.of(options.token().orElseGet(TokenFile::generate)) : Optional.empty();
        // HttpGuard checks Host and Origin exactly; the SDK's validator matches origins by prefix, so it is not used
        var transport = HttpServletStreamableServerTransportProvider.builder().jsonMapper(ErrorBodies.jsonMapper())
                .mcpEndpoint(ENDPOINT).securityValidator(ServerTransportSecurityValidator.NOOP).build();
        McpSyncServer server = runbooks.configure(io.modelcontextprotocol.server.McpServer.sync(transport));
        Tomcat tomcat = new Tomcat();
        var bound = new AtomicInteger(-1);
        try {
            Path base = Files.createTempDirectory("runbook-mcp-tomcat");
            tomcat.setBaseDir(base.toString());
            Connector connector = new Connector();
            connector.setPort(options.port());
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            // Tomcat's own error pages (an unknown path, a bad request) without report or server version
            var quiet = new ErrorReportValve();
            quiet.setShowReport(false);
            quiet.setShowServerInfo(false);
            tomcat.getHost().getPipeline().addValve(quiet);
            Context ctx = tomcat.addContext("", base.toString());
            Tomcat.addServlet(ctx, "mcp", new HttpGuard(transport, token, bound::get)).setAsyncSupported(true);
            ctx.addServletMappingDecoded(ENDPOINT, "mcp");
            tomcat.start();
            bound.set(connector.getLocalPort());
            Optional<Path> file = Optional.empty();
            if (token.isPresent() && options.token().isEmpty()) {
                Path f = options.tokenFile().orElse(McpHttpOptions.DEFAULT_TOKEN_DIRECTORY
                        .resolve("mcp-http-" + bound.get() + ".token"));
                TokenFile.write(f, token.get());
                file = Optional.of(f);
                LOG.info("MCP over HTTP at http://127.0.0.1:{}{} needs 'Authorization: Bearer <token>'; the token is in {}",
                        bound.get(), ENDPOINT, f);
            } else if (token.isEmpty()) {
                LOG.warn("MCP over HTTP at http://127.0.0.1:{}{} has NO authentication: any local process can call "
                        + "every tool, the mutating ones included", bound.get(), ENDPOINT);
            }
            return new McpHttpServer(tomcat, server, bound.get(), file);
        } catch (IOException e) {
            stopQuietly(tomcat);
            server.close();
            throw new UncheckedIOException("cannot write the MCP token file or Tomcat's work folder: " + e.getMessage(), e);
        } catch (LifecycleException e) {
            server.close();
            throw new IllegalStateException("cannot serve MCP on 127.0.0.1:" + options.port() + ": " + e.getMessage()
                    + " (is the port in use? pick another with --http-port)", e);
        }
    }

    private static void stopQuietly(Tomcat tomcat) {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            LOG.warn("stopping Tomcat failed", e);
        }
    }

    /** The port it listens on (the one chosen when 0 was asked). */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>/mcp}. */
    public String url() {
        return "http://127.0.0.1:" + port + ENDPOINT;
    }

    /** The file holding the token generated at start; empty when the host gave the token or turned it off. */
    public Optional<Path> tokenFile() {
        return tokenFile;
    }

    /** Stops serving and deletes the token file it wrote. */
    @Override
    public void close() {
        server.close();
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("stopping Tomcat failed: " + e.getMessage(), e);
        } finally {
            tokenFile.ifPresent(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.warn("cannot delete the token file {}: {}", f, e.getMessage());
                }
            });
        }
    }
}
