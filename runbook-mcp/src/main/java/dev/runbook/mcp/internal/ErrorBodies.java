package dev.runbook.mcp.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import java.io.IOException;

/**
 * The JSON mapper of the HTTP transport. The SDK (1.1.5) answers a bad request by serializing its {@link McpError}
 * exception whole, {@code stackTrace} array and all; here an {@code McpError} is written as a plain JSON-RPC error
 * instead: {@code {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid message format: ..."}}},
 * with the message's first line only (Jackson appends {@code \n at [Source: ...]} to its parse errors).
 */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    /** A mapper like the server's, writing {@code McpError} as a JSON-RPC error without a trace. */
    public static McpJsonMapper jsonMapper() {
        var module = new SimpleModule("runbook-mcp-errors").addSerializer(McpError.class, new ErrorSerializer());
        return new JacksonMcpJsonMapper(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .registerModule(module));
    }

    /** The first line of a message, or a fixed text when there is none. */
    static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "internal error (see the server's log)";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    private static final class ErrorSerializer extends StdSerializer<McpError> {
        private static final long serialVersionUID = 1L;

        ErrorSerializer() {
            super(McpError.class);
        }

        @Override
        public void serialize(McpError e, JsonGenerator gen, SerializerProvider provider) throws IOException {
            var rpc = e.getJsonRpcError();
            gen.writeStartObject();
            gen.writeStringField("jsonrpc", "2.0");
            gen.writeNullField("id");
            gen.writeObjectFieldStart("error");
            gen.writeNumberField("code", rpc != null && rpc.code() != null ? rpc.code() : -32603);
            gen.writeStringField("message", firstLine(rpc != null ? rpc.message() : e.getMessage()));
            gen.writeEndObject();
            gen.writeEndObject();
        }
    }
}
