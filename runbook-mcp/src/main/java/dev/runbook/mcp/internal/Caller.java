package dev.runbook.mcp.internal;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import java.util.Optional;

/**
 * The MCP client a tool call came from: its name (from its initialize request) names the executions it starts, and
 * its exchange is how the server asks its user to approve a change.
 *
 * @param exchange the call's exchange; empty for work no client asked for
 */
public record Caller(Optional<McpSyncServerExchange> exchange) {
    /** No client (the operator's own calls through the server's API). */
    public static Caller none() {
        return new Caller(Optional.empty());
    }

    /** The client of this exchange. */
    public static Caller of(McpSyncServerExchange exchange) {
        return new Caller(Optional.ofNullable(exchange));
    }

    /** The name the client gave, {@code unknown} when it gave none. */
    public String clientName() {
        return exchange.map(ex -> {
            var info = ex.getClientInfo();
            return info == null || info.name() == null || info.name().isBlank() ? "unknown" : info.name();
        }).orElse("unknown");
    }

    /** The executor recorded in its executions: {@code mcp:<client name>}. */
    public String executedBy() {
        return "mcp:" + clientName();
    }
}
