package dev.runbook.mcp.internal;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The SDK's stdio transport with every protocol version the server speaks. The SDK (1.1.5) answers an
 * {@code initialize} with the client's version when its transport lists it, else with the transport's last (latest)
 * version, as the MCP lifecycle requires; but its stdio transport lists 2024-11-05 only, so every stdio client was
 * answered 2024-11-05 whatever it asked. The HTTP transport of the same SDK lists {@link #VERSIONS}.
 */
public final class StdioTransport extends StdioServerTransportProvider {
    /** The protocol versions the server speaks, oldest first: the last is the one offered to an unknown version. */
    public static final List<String> VERSIONS = List.of(ProtocolVersions.MCP_2024_11_05, ProtocolVersions.MCP_2025_03_26,
            ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

    public StdioTransport(McpJsonMapper json, InputStream in, OutputStream out) {
        super(json, in, out);
    }

    @Override
    public List<String> protocolVersions() {
        return VERSIONS;
    }
}
