package dev.runbook.mcp;

import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The MCP server over streamable HTTP at {@code http://127.0.0.1:<port>/mcp}, on an embedded Tomcat bound to the
 * loopback interface only: the executor tools must not be reachable from the network.
 */
public final class McpHttpServer implements AutoCloseable {
    /** The endpoint's path. */
    public static final String ENDPOINT = "/mcp";

    private final Tomcat tomcat;
    private final McpSyncServer server;
    private final int port;

    private McpHttpServer(Tomcat tomcat, McpSyncServer server, int port) {
        this.tomcat = tomcat;
        this.server = server;
        this.port = port;
    }

    static McpHttpServer start(RunbookMcpServer runbooks, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
        }
        // Origin and Host checks against DNS rebinding: only pages and hosts on this machine
        var validator = DefaultServerTransportSecurityValidator.builder()
                .allowedHosts(List.of("127.0.0.1", "127.0.0.1:*", "localhost", "localhost:*"))
                .allowedOrigins(List.of("http://127.0.0.1:*", "http://localhost:*")).build();
        var transport = HttpServletStreamableServerTransportProvider.builder().jsonMapper(runbooks.jsonMapper())
                .mcpEndpoint(ENDPOINT).securityValidator(validator).build();
        McpSyncServer server = runbooks.configure(io.modelcontextprotocol.server.McpServer.sync(transport));
        Tomcat tomcat = new Tomcat();
        try {
            Path base = Files.createTempDirectory("runbook-mcp-tomcat");
            tomcat.setBaseDir(base.toString());
            Connector connector = new Connector();
            connector.setPort(port);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            Context ctx = tomcat.addContext("", base.toString());
            Tomcat.addServlet(ctx, "mcp", transport).setAsyncSupported(true);
            ctx.addServletMappingDecoded(ENDPOINT, "mcp");
            tomcat.start();
            return new McpHttpServer(tomcat, server, connector.getLocalPort());
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("cannot create Tomcat's work folder", e);
        } catch (LifecycleException e) {
            server.close();
            throw new IllegalStateException("cannot serve MCP on 127.0.0.1:" + port + ": " + e.getMessage()
                    + " (is the port in use? pick another with --http-port)", e);
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

    /** Stops serving. */
    @Override
    public void close() {
        server.close();
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("stopping Tomcat failed: " + e.getMessage(), e);
        }
    }
}
