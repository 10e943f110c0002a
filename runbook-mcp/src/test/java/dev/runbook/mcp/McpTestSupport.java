package dev.runbook.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Calls tools the way an agent does and reads their structured results. */
final class McpTestSupport {
    static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new ObjectMapper());
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    static final List<String> TOOLS = List.of("get-container-metrics", "get-container-logs", "detect-anomaly",
            "get-runbook", "list-runbooks", "explain-incident", "plan-runbook", "restart-container", "scale-service",
            "update-env-vars", "rollback-deployment", "execute-runbook", "kill_switch",
            "resume_runbook");
    /** The runbook-k8s and runbook-neo4j actions, tools of their own name when on the classpath. */
    static final List<String> K8S_NEO4J_TOOLS = List.of("kubectl_get", "kubectl_patch", "kubectl_apply",
            "kubectl_scale", "kubectl_rollout_restart", "kubectl_rollout_undo", "kubectl_cordon", "kubectl_uncordon",
            "kubectl_drain", "kubectl_delete_pod", "k8s_set_resources", "check_neo4j");
    static final List<String> ALL_TOOLS = java.util.stream.Stream.concat(TOOLS.stream(), K8S_NEO4J_TOOLS.stream()).toList();

    /** The bearer token the tests' HTTP servers are given. */
    static final String TOKEN = "test-token-0123456789abcdefghijklmnopqrstuv";

    private McpTestSupport() {
    }

    /** The server over HTTP on a free loopback port, authenticated by {@link #TOKEN}. */
    static McpHttpServer serveHttp(RunbookMcpServer server) {
        return server.serveHttp(McpHttpOptions.port(0).token(TOKEN));
    }

    /** The SDK's HTTP client transport to it, sending the bearer token. */
    static HttpClientStreamableHttpTransport transport(McpHttpServer http) {
        return HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + http.port())
                .endpoint(McpHttpServer.ENDPOINT)
                .customizeRequest(r -> r.header("Authorization", "Bearer " + TOKEN)).build();
    }

    static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> ok(CallToolResult r) {
        assertThat(r.isError()).as("%s", r.content()).isNotEqualTo(Boolean.TRUE);
        return (Map<String, Object>) r.structuredContent();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> refused(CallToolResult r) {
        assertThat(r.isError()).as("%s", r.content()).isTrue();
        return (Map<String, Object>) r.structuredContent();
    }

    static String text(CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    static void realSleep(Duration d) {
        try {
            // the containers are real processes: waiting for them takes real time
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
