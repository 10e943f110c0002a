package dev.runbook.mcp;

import static dev.runbook.mcp.McpTestSupport.call;
import static dev.runbook.mcp.McpTestSupport.list;
import static dev.runbook.mcp.McpTestSupport.map;
import static dev.runbook.mcp.McpTestSupport.ok;
import static dev.runbook.mcp.McpTestSupport.refused;
import static dev.runbook.mcp.McpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.docker.PodmanEngine;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server as a client launches it: a real {@code java} subprocess speaking MCP on stdin/stdout, driven by the
 * SDK's own client, against the real engine (a private Podman), with the bundled seed 002 runbooks and
 * {@code --allow-mutations}.
 */
class McpStdioTest {
    private static final String P = "rbm-stdio-";
    private static PodmanEngine engine;
    private static McpSyncClient client;

    @BeforeAll
    static void start() {
        engine = PodmanEngine.get();
        engine.removeAll(P);
        engine.run(P + "web", Map.of("dev.runbook.suite", "mcp-stdio"), Map.of("LOG_LEVEL", "info"), 64L << 20,
                "sh", "-c", "echo started; echo 'ERROR one failure'; while true; do sleep 1; done");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var params = ServerParameters.builder(java).args("-cp", System.getProperty("java.class.path"),
                        RunbookMcpMain.class.getName(), "--docker-host", engine.host(), "--label",
                        "dev.runbook.suite=mcp-stdio", "--allow-mutations")
                .build();
        var transport = new StdioClientTransport(params, McpTestSupport.JSON);
        client = McpClient.sync(transport).requestTimeout(McpTestSupport.TIMEOUT)
                .clientInfo(new McpSchema.Implementation("stdio-test-agent", "1.0")).build();
        client.initialize();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.closeGracefully();
        }
        if (engine != null) {
            engine.removeAll(P);
        }
    }

    @Test
    void listsEveryToolWithSchemasFromTheActions() {
        var tools = client.listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(McpTestSupport.ALL_TOOLS);
        var scale = tools.stream().filter(t -> t.name().equals("scale-service")).findFirst().orElseThrow();
        assertThat(scale.inputSchema().required()).containsExactly("service");
        assertThat(map(scale.inputSchema().properties().get("replicas"))).containsEntry("type", "integer")
                .containsEntry("description", "the wanted number of replicas");
        var env = tools.stream().filter(t -> t.name().equals("update-env-vars")).findFirst().orElseThrow();
        assertThat(env.inputSchema().required()).containsExactly("container", "env");
        assertThat(map(env.inputSchema().properties().get("env"))).containsEntry("type", "object");
        assertThat(env.annotations().destructiveHint()).isTrue();
        var metrics = tools.stream().filter(t -> t.name().equals("get-container-metrics")).findFirst().orElseThrow();
        assertThat(map(metrics.inputSchema().properties().get("interval"))).containsEntry("type", "string")
                .containsEntry("default", "1s");
        assertThat(metrics.annotations().readOnlyHint()).isTrue();
    }

    @Test
    void monitorToolsReadTheRealContainer() {
        var m = ok(call(client, "get-container-metrics", Map.of("container", P + "web", "interval", "200ms")));
        assertThat(m).containsEntry("container", P + "web").containsEntry("memory_limited", true)
                .containsEntry("state", "running");
        assertThat(((Number) m.get("memory_limit")).longValue()).isEqualTo(64L << 20);

        var logs = ok(call(client, "get-container-logs", Map.of("container", P + "web", "pattern", "ERROR")));
        assertThat(list(logs.get("lines"))).contains("started", "ERROR one failure");
        assertThat(((Number) logs.get("matches")).intValue()).isEqualTo(1);

        var missing = call(client, "get-container-metrics", Map.of("container", P + "nope"));
        assertThat(missing.isError()).isTrue();
        assertThat(text(missing)).contains(P + "nope");

        var library = ok(call(client, "list-runbooks", Map.of()));
        assertThat(list(library.get("runbooks"))).extracting(r -> map(r).get("id"))
                .containsExactly("memory-spike-v1", "cpu-overload-v1", "high-error-rate-v1");
        var byAnomaly = ok(call(client, "get-runbook", Map.of("anomaly", "HIGH_ERROR_RATE")));
        var rb = map(list(byAnomaly.get("runbooks")).get(0));
        assertThat(rb).containsEntry("id", "high-error-rate-v1");
        assertThat((String) rb.get("source")).contains("# High error rate: restart or roll back");
        assertThat(map(rb.get("safety"))).containsEntry("min_action_spacing", "5s");
    }

    @Test
    void aPermittedRestartThenOneRefusedByTheSpacingGuard() {
        var first = ok(call(client, "restart-container", Map.of("container", P + "web", "timeout", "0s")));
        assertThat(first).containsEntry("status", "SUCCEEDED").containsEntry("executed_by", "mcp:stdio-test-agent");
        assertThat(map(first.get("approval"))).containsEntry("approved", true)
                .containsEntry("approver", "mcp-client:stdio-test-agent");
        assertThat(list(first.get("actions_taken"))).containsExactly("restarted " + P + "web");
        assertThat(list(first.get("dry_run_steps"))).hasSize(1);

        // seed 002: at least 5 s between two changes
        var r = call(client, "restart-container", Map.of("container", P + "web", "timeout", "0s"));
        var second = refused(r);
        assertThat(second).containsEntry("status", "DENIED");
        assertThat(map(second.get("refused_by"))).containsEntry("guard", "rate_limit");
        assertThat((String) map(second.get("refused_by")).get("reason")).contains("min_action_spacing 5s");
        assertThat(text(r)).startsWith("DENIED: refused by guard 'rate_limit': ");
        assertThat(list(second.get("actions_taken"))).isEmpty();

        var recent = client.readResource(new McpSchema.ReadResourceRequest("runbook://executions/recent"));
        String json = ((McpSchema.TextResourceContents) recent.contents().get(0)).text();
        assertThat(json).contains("\"refused_by\"").contains("mcp-client:stdio-test-agent");
    }

    @Test
    void resourcesExposeTheLibrary() {
        var uris = client.listResources().resources().stream().map(McpSchema.Resource::uri).toList();
        assertThat(uris).contains("runbook://library", "runbook://executions/recent", "runbook://runbooks/memory-spike-v1");
        assertThat(client.listResourceTemplates().resourceTemplates()).extracting(McpSchema.ResourceTemplate::uriTemplate)
                .containsExactly("runbook://runbooks/{id}");
        var lib = client.readResource(new McpSchema.ReadResourceRequest("runbook://library"));
        assertThat(((McpSchema.TextResourceContents) lib.contents().get(0)).text()).contains("cpu-overload-v1");
        var one = client.readResource(new McpSchema.ReadResourceRequest("runbook://runbooks/cpu-overload-v1"));
        assertThat(((McpSchema.TextResourceContents) one.contents().get(0)).text()).contains("scale-service");
    }

    @Test
    void badArgumentsAreToolErrorsNamingTheProblem() {
        var r = call(client, "scale-service", Map.of("service", "web", "replicas", "many"));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("replicas").contains("many");
        var u = call(client, "explain-incident", Map.of("incident", Map.of("rca_confidence", 1.0)));
        assertThat(text(u)).contains("'incident.root_cause_reason' is missing");
        assertThat(List.of(r, u)).allSatisfy(x -> assertThat(x.isError()).isTrue());
    }
}
