package dev.runbook.mcp;

import static dev.runbook.mcp.McpTestSupport.call;
import static dev.runbook.mcp.McpTestSupport.list;
import static dev.runbook.mcp.McpTestSupport.map;
import static dev.runbook.mcp.McpTestSupport.ok;
import static dev.runbook.mcp.McpTestSupport.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.docker.ContainerMonitor;
import dev.runbook.docker.DockerActions;
import dev.runbook.docker.DockerSafety;
import dev.runbook.docker.PodmanEngine;
import dev.runbook.dsl.RunbookLoader;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server over streamable HTTP on a real loopback port, driven by the SDK's HTTP client, against the real
 * engine: the guards refusing and permitting executor calls, approval by elicitation, and a full incident from
 * detect-anomaly to execute-runbook with the bundled seed 002 runbooks.
 */
class McpHttpTest {
    private static final String P = "rbm-http-";
    private static PodmanEngine engine;
    private McpHttpServer http;
    private McpSyncClient client;

    @BeforeAll
    static void engine() {
        engine = PodmanEngine.get();
        engine.removeAll(P);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.closeGracefully();
        }
        if (http != null) {
            http.close();
        }
        engine.removeAll(P);
    }

    private RunbookMcpServer server(String suite, MutationPolicy policy, Duration spacing) throws IOException {
        var docker = DockerActions.builder().client(engine.client(), engine.host()).stopTimeout(Duration.ZERO)
                .startupGrace(Duration.ofSeconds(1)).build();
        var monitor = ContainerMonitor.builder().client(engine.client(), engine.host())
                .labelFilter(Map.of("dev.runbook.suite", suite)).build();
        var b = RunbookMcpServer.builder().dockerActions(docker).monitor(monitor).containerLookup(engine.client())
                .guardStore(new InMemoryGuardStore()).mutationPolicy(policy)
                .toolSafety(DockerSafety.builder().dryRunFirst(true).blastRadiusLimit(5).minActionSpacing(spacing)
                        .envWhitelist(List.of("LOG_LEVEL")).build());
        var loader = RunbookLoader.builder().actions(dev.runbook.core.action.ActionRegistry.builder().provider(docker)
                .provider(new dev.runbook.core.action.builtin.BuiltinActions()).build()).build();
        for (String name : RunbookMcpMain.BUNDLED) {
            try (InputStream in = RunbookMcpMain.class.getResourceAsStream("/runbooks/" + name)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                loader.loadString(text, name).runbooksOrThrow().forEach(rb -> b.runbook(rb, text));
            }
        }
        return b.build();
    }

    private McpSyncClient connect(RunbookMcpServer server, String clientName,
                                  Function<McpSchema.ElicitRequest, McpSchema.ElicitResult> elicitation) {
        http = McpTestSupport.serveHttp(server);
        assertThat(http.url()).startsWith("http://127.0.0.1:").endsWith("/mcp");
        var transport = McpTestSupport.transport(http);
        var spec = McpClient.sync(transport).requestTimeout(McpTestSupport.TIMEOUT)
                .clientInfo(new McpSchema.Implementation(clientName, "1.0"));
        if (elicitation != null) {
            spec.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build()).elicitation(elicitation);
        }
        client = spec.build();
        client.initialize();
        return client;
    }

    @Test
    void theFourthRestartWithinAnHourIsRefusedByThePerContainerLimit() throws IOException {
        engine.run(P + "api", Map.of("dev.runbook.suite", "mcp-http-r"), Map.of(), 0, "sh", "-c", "while true; do sleep 1; done");
        // spacing off so that the hourly per-container limit (3 restarts, seed 002) is the guard that refuses
        connect(server("mcp-http-r", MutationPolicy.ALLOW, Duration.ZERO), "http-agent", null);
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .containsExactlyInAnyOrderElementsOf(McpTestSupport.ALL_TOOLS);

        for (int i = 0; i < 3; i++) {
            var r = ok(call(client, "restart-container", Map.of("container", P + "api", "timeout", "0s")));
            assertThat(r).containsEntry("status", "SUCCEEDED");
        }
        var fourth = refused(call(client, "restart-container", Map.of("container", P + "api", "timeout", "0s")));
        assertThat(fourth).containsEntry("status", "DENIED");
        assertThat(map(fourth.get("refused_by"))).containsEntry("guard", "rate_limit");
        assertThat((String) map(fourth.get("refused_by")).get("reason"))
                .contains("max_action_per_resource_per_hour restart-container 3 on Container/" + P + "api");
        assertThat(list(fourth.get("steps"))).isEmpty();
        // core's ExecutionView: the record CLI, dashboard and audit trail show too
        assertThat(fourth).containsKeys("execution_id", "runbook_id", "incident_id", "started_at", "finished_at",
                "duration", "duration_ms", "incident", "guard_decisions", "rollback_status", "notifications")
                .containsEntry("rollback_status", "none").doesNotContainKeys("approval", "escalated_to");
    }

    @Test
    void boundsWhitelistAndApprovalRefuseAsToolResults() throws IOException {
        var labels = Map.of("dev.runbook.suite", "mcp-http-b", DockerActions.COMPOSE_SERVICE_LABEL, "mcpweb");
        engine.run(P + "web-1", labels, Map.of("LOG_LEVEL", "info"), 0, "sh", "-c", "while true; do sleep 1; done");
        var asked = new ArrayList<String>();
        connect(server("mcp-http-b", MutationPolicy.ASK_CLIENT, Duration.ZERO), "careful-agent", req -> {
            asked.add(req.message());
            // the user approves changes to LOG_LEVEL only
            boolean yes = req.message().contains("update-env-vars");
            return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", yes));
        });

        // replica bounds 1..5: the dry run refuses, nothing is asked nor changed
        var scale = refused(call(client, "scale-service", Map.of("service", "mcpweb", "replicas", 9)));
        assertThat(map(scale.get("refused_by"))).containsEntry("guard", "dry_run");
        assertThat((String) map(scale.get("refused_by")).get("reason")).contains("9").contains("1..5");

        // env whitelist: only LOG_LEVEL
        var env = refused(call(client, "update-env-vars", Map.of("container", P + "web-1", "env", Map.of("SECRET_MODE", "on"))));
        assertThat(map(env.get("refused_by"))).containsEntry("guard", "dry_run");
        assertThat((String) map(env.get("refused_by")).get("reason")).contains("SECRET_MODE");
        assertThat(asked).isEmpty();

        // the user declines a restart: refused by the approval guard, recorded with the approver
        var restart = refused(call(client, "restart-container", Map.of("container", P + "web-1", "timeout", "0s")));
        assertThat(map(restart.get("refused_by"))).containsEntry("guard", "approval");
        assertThat(map(restart.get("approval"))).containsEntry("approved", false)
                .containsEntry("approver", "mcp-client:careful-agent");

        // and approves the env change
        var ok = ok(call(client, "update-env-vars", Map.of("container", P + "web-1", "env", Map.of("LOG_LEVEL", "debug"))));
        assertThat(map(ok.get("approval"))).containsEntry("approved", true);
        assertThat(list(ok.get("actions_taken"))).containsExactly("recreated " + P + "web-1 with LOG_LEVEL info -> debug");
        assertThat(asked).hasSize(2);
        assertThat(engine.client().inspectContainerCmd(P + "web-1").exec().getConfig().getEnv()).contains("LOG_LEVEL=debug");
    }

    @Test
    void aClientThatCannotBeAskedIsRefusedByTheApprovalGuard() throws IOException {
        engine.run(P + "solo", Map.of("dev.runbook.suite", "mcp-http-a"), Map.of(), 0, "sh", "-c", "while true; do sleep 1; done");
        connect(server("mcp-http-a", MutationPolicy.ASK_CLIENT, Duration.ZERO), "plain-agent", null);
        var r = refused(call(client, "restart-container", Map.of("container", P + "solo")));
        assertThat(map(r.get("refused_by"))).containsEntry("guard", "approval");
        assertThat((String) map(r.get("refused_by")).get("reason")).contains("--allow-mutations")
                .contains("does not support elicitation");
    }

    @Test
    void aFullIncidentFromDetectAnomalyToExecuteRunbook() throws IOException {
        // 28 MiB in /dev/shm under a 32 MiB limit, once: a restart clears it
        engine.run(P + "cache", Map.of("dev.runbook.suite", "mcp-http-e2e"), Map.of(), 32L << 20, "sh", "-c",
                "if [ ! -f /tmp/filled ]; then touch /tmp/filled; dd if=/dev/zero of=/dev/shm/fill bs=1M count=28 "
                        + "2>/dev/null; fi; echo filled; while true; do sleep 1; done");
        connect(server("mcp-http-e2e", MutationPolicy.ALLOW, Duration.ofSeconds(5)), "sre-agent", null);

        var incident = new AtomicReference<Map<String, Object>>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (incident.get() == null && System.nanoTime() < deadline) {
            var found = ok(call(client, "detect-anomaly", Map.of("samples", 1, "container", P + "cache")));
            list(found.get("incidents")).stream().map(McpTestSupport::map)
                    .filter(i -> "MEMORY_SPIKE".equals(i.get("root_cause_reason"))).findFirst().ifPresent(incident::set);
            if (incident.get() == null) {
                McpTestSupport.realSleep(Duration.ofMillis(500));
            }
        }
        assertThat(incident.get()).as("MEMORY_SPIKE detected within 60 s").isNotNull();
        String id = (String) incident.get().get("incident_id");

        var explained = ok(call(client, "explain-incident", Map.of("incident_id", id)));
        assertThat(explained).containsEntry("best", "memory-spike-v1");
        assertThat(list(explained.get("rejected"))).extracting(m -> map(m).get("runbook_id"))
                .contains("cpu-overload-v1", "high-error-rate-v1");

        var plan = ok(call(client, "plan-runbook", Map.of("incident", incident.get())));
        assertThat(plan).containsEntry("status", "PLANNED").containsEntry("runbook_id", "memory-spike-v1");
        assertThat(list(plan.get("dry_run_steps"))).extracting(s -> map(s).get("action"))
                .containsExactly("container-metrics", "container-logs", "restart-container");

        var done = ok(call(client, "execute-runbook", Map.of("incident_id", id)));
        assertThat(done).containsEntry("status", "SUCCEEDED").containsEntry("runbook_id", "memory-spike-v1");
        assertThat(list(done.get("actions_taken"))).containsExactly("restarted " + P + "cache");
        assertThat(map(done.get("approval"))).containsEntry("approver", "mcp-client:sre-agent");
        var after = ok(call(client, "get-container-metrics", Map.of("container", P + "cache", "interval", "200ms")));
        assertThat(((Number) after.get("memory_percent")).doubleValue()).isLessThan(80.0);

        var recent = client.readResource(new McpSchema.ReadResourceRequest("runbook://executions/recent"));
        String json = ((McpSchema.TextResourceContents) recent.contents().get(0)).text();
        assertThat(json).contains((String) done.get("execution_id")).contains(id);
    }
}
