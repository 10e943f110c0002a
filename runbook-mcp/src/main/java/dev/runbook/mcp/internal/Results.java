package dev.runbook.mcp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.ExecutionView;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Tool results and resource contents as JSON: a structured value, and the same as text for clients that show text. */
public final class Results {
    /** The MIME type of every resource. */
    public static final String JSON = "application/json";
    private static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS));

    private Results() {
    }

    /** The mapper the transports use (Jackson 2). */
    public static McpJsonMapper mapper() {
        return MAPPER;
    }

    /** A result whose text is the value's JSON. */
    public static CallToolResult of(Map<String, Object> value, boolean isError) {
        return of(value, isError, null);
    }

    /** A result whose text is the headline (when given), then the value's JSON. */
    public static CallToolResult of(Map<String, Object> value, boolean isError, String headline) {
        String body = write(value);
        return CallToolResult.builder().addTextContent(headline == null ? body : headline + "\n" + body)
                .structuredContent(value).isError(isError).build();
    }

    /** A tool error with this message only. */
    public static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    /**
     * The execution record as a result: an error unless it succeeded or was planned, headed by its status and, for a
     * refusal, the guard and its reason ({@code DENIED: refused by guard 'rate_limit': ...}).
     */
    public static CallToolResult execution(Execution e) {
        boolean ok = e.status() == ExecutionStatus.SUCCEEDED || e.status() == ExecutionStatus.PLANNED;
        String headline = e.denial().map(d -> e.status() + ": refused by guard '" + d.guard() + "': " + d.reason())
                .orElse(e.status() + (e.error().map(err -> ": " + err).orElse("")));
        return of(ExecutionView.of(e), !ok, headline);
    }

    /** A resource's contents: the value as JSON. */
    public static McpSchema.ReadResourceResult resource(String uri, Object value) {
        return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, JSON, write(value))));
    }

    /** The value as JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
