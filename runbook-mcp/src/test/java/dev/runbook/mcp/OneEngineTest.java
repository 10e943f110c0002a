package dev.runbook.mcp;

import static dev.runbook.mcp.McpTestSupport.call;
import static dev.runbook.mcp.McpTestSupport.map;
import static dev.runbook.mcp.McpTestSupport.ok;
import static dev.runbook.mcp.McpTestSupport.refused;
import static dev.runbook.mcp.McpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.docker.ContainerMonitor;
import dev.runbook.docker.DockerActions;
import dev.runbook.docker.DockerClients;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the server built and compiled a new engine on every tool call, so a kill switch stopped nothing. Now one
 * engine serves every call: its kill switch, engaged by the operator or through the {@code kill_switch} tool, refuses
 * the next change and the next runbook execution, and its limits count across tool calls and runbooks. Over real HTTP
 * with the SDK's client, on a host action ({@code poke}) that records what it changed; no container engine is needed.
 */
class OneEngineTest {
    private static final Map<String, Object> INCIDENT = Map.of("incident", Map.of("root_cause_reason", "POKE_NEEDED",
            "rca_confidence", 1.0, "resource", Map.of("kind", "Widget", "name", "w1")));
    private final List<String> poked = Collections.synchronizedList(new ArrayList<>());
    private RunbookMcpServer server;
    private McpHttpServer http;
    private McpSyncClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.closeGracefully();
        }
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A host provider with one mutating action that records the target it changed. */
    private ActionProvider pokes() {
        Action poke = new Action() {
            @Override
            public String name() {
                return "poke";
            }

            @Override
            public String description() {
                return "Pokes a widget";
            }

            @Override
            public ParamSchema schema() {
                return ParamSchema.of(ParamSpec.required("target", ParamType.STRING, "the widget"));
            }

            @Override
            public boolean mutating() {
                return true;
            }

            @Override
            public ActionResult execute(ActionContext ctx) {
                if (!ctx.dryRun()) {
                    if (ctx.string("target").equals("broken")) {
                        throw new IllegalStateException("the widget would not take the poke");
                    }
                    poked.add(ctx.string("target"));
                }
                return ActionResult.of("poked " + ctx.string("target"));
            }
        };
        return () -> List.of(poke);
    }

    private McpSyncClient connect(MutationPolicy policy, Safety toolSafety) {
        return connect(policy, toolSafety, Safety.builder().maxActionsPerHour(2).build());
    }

    private McpSyncClient connect(MutationPolicy policy, Safety toolSafety, Safety librarySafety) {
        var docker = DockerClients.connect("unix:///nonexistent/runbook-mcp-test.sock");
        // a library runbook and the tool calls under one hourly limit of changes (the same counter)
        Runbook library = Runbook.builder("poke-widget-v1").trigger(Trigger.builder().rootCauseReason("POKE_NEEDED").build())
                .safety(librarySafety)
                .step(ActionStep.builder("poke", "poke").param("target", "{{ incident.resource.name }}").build()).build();
        server = RunbookMcpServer.builder().discoverActions(false)
                .dockerActions(DockerActions.builder().client(docker, "unix:///nonexistent").build())
                .monitor(ContainerMonitor.builder().client(docker, "unix:///nonexistent").build())
                .actionProvider(pokes()).runbook(library).mutationPolicy(policy).toolSafety(toolSafety)
                .clock(Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC)).build();
        http = McpTestSupport.serveHttp(server);
        client = McpClient.sync(McpTestSupport.transport(http)).requestTimeout(McpTestSupport.TIMEOUT)
                .clientInfo(new McpSchema.Implementation("ops-agent", "1.0")).build();
        client.initialize();
        return client;
    }

    private static Map<String, Object> poke(McpSyncClient c, String target) {
        return map(call(c, "poke", Map.of("target", target)).structuredContent());
    }

    @Test
    void theOperatorsKillSwitchRefusesTheNextChangeAndTheNextRunbook() {
        connect(MutationPolicy.ALLOW, Safety.none());
        assertThat(ok(call(client, "poke", Map.of("target", "a")))).containsEntry("status", "SUCCEEDED")
                .containsEntry("executed_by", "mcp:ops-agent");

        server.killSwitch().engage("incident review in progress");
        var change = refused(call(client, "poke", Map.of("target", "b")));
        assertThat(map(change.get("refused_by"))).containsEntry("guard", "enabled")
                .containsEntry("reason", "kill switch engaged: incident review in progress");
        var runbook = refused(call(client, "execute-runbook", INCIDENT));
        assertThat(runbook).containsEntry("runbook_id", "poke-widget-v1");
        assertThat(map(runbook.get("refused_by"))).containsEntry("guard", "enabled");
        assertThat(poked).containsExactly("a");

        server.killSwitch().release();
        assertThat(ok(call(client, "execute-runbook", INCIDENT))).containsEntry("status", "SUCCEEDED");
        assertThat(poked).containsExactly("a", "w1");
    }

    @Test
    void theKillSwitchToolEngagesAndReleasesTheSameSwitch() {
        connect(MutationPolicy.ALLOW, Safety.none());
        assertThat(ok(call(client, "kill_switch", Map.of("action", "status")))).containsEntry("engaged", false);
        var engaged = ok(call(client, "kill_switch", Map.of("action", "engage", "reason", "bad deploy")));
        assertThat(engaged).containsEntry("engaged", true);
        assertThat(map(engaged.get("approval"))).containsEntry("approver", "mcp-client:ops-agent");
        assertThat(server.killSwitch().engaged()).hasValueSatisfying(r -> assertThat(r).startsWith("bad deploy"));

        var change = refused(call(client, "poke", Map.of("target", "b")));
        assertThat((String) map(change.get("refused_by")).get("reason")).contains("kill switch engaged: bad deploy");
        assertThat(map(refused(call(client, "execute-runbook", INCIDENT)).get("refused_by")))
                .containsEntry("guard", "enabled");
        assertThat(poked).isEmpty();

        assertThat(ok(call(client, "kill_switch", Map.of("action", "release")))).containsEntry("engaged", false);
        assertThat(ok(call(client, "poke", Map.of("target", "c")))).containsEntry("status", "SUCCEEDED");
        assertThat(poked).containsExactly("c");

        var noReason = call(client, "kill_switch", Map.of("action", "engage"));
        assertThat(noReason.isError()).isTrue();
        assertThat(text(noReason)).contains("'reason' is required");
    }

    @Test
    void theResumeRunbookToolReadsAndLiftsAnAutoPause() {
        connect(MutationPolicy.ALLOW, Safety.none(), Safety.builder().pauseAfter(1, java.time.Duration.ofHours(1)).build());
        assertThat(ok(call(client, "resume_runbook", Map.of("runbook", "poke-widget-v1")))).containsEntry("paused", false);
        Map<String, Object> broken = Map.of("incident", Map.of("root_cause_reason", "POKE_NEEDED",
                "rca_confidence", 1.0, "resource", Map.of("kind", "Widget", "name", "broken")));
        var failed = map(call(client, "execute-runbook", broken).structuredContent());
        assertThat(failed).containsEntry("status", "FAILED");

        var status = ok(call(client, "resume_runbook", Map.of("runbook", "poke-widget-v1", "action", "status")));
        assertThat(status).containsEntry("paused", true);
        assertThat(McpTestSupport.list(status.get("executions"))).containsExactly(failed.get("execution_id"));
        var refusedRun = refused(call(client, "execute-runbook", INCIDENT));
        assertThat(map(refusedRun.get("refused_by"))).containsEntry("guard", "paused");
        assertThat((String) map(refusedRun.get("refused_by")).get("reason")).contains((String) failed.get("execution_id"));

        var resumed = ok(call(client, "resume_runbook", Map.of("runbook", "poke-widget-v1", "action", "resume")));
        assertThat(resumed).containsEntry("paused", false).containsEntry("was_paused", true);
        assertThat(map(resumed.get("approval"))).containsEntry("approver", "mcp-client:ops-agent");
        assertThat(ok(call(client, "execute-runbook", INCIDENT))).containsEntry("status", "SUCCEEDED");
        assertThat(call(client, "resume_runbook", Map.of("runbook", "poke-widget-v1", "action", "pause")).isError()).isTrue();
    }

    @Test
    void resumingARunbookIsGuardedByTheMutationPolicy() {
        connect(MutationPolicy.DENY, Safety.none());
        var r = call(client, "resume_runbook", Map.of("runbook", "poke-widget-v1", "action", "resume"));
        assertThat(map(refused(r).get("refused_by"))).containsEntry("guard", "approval");
    }

    @Test
    void theKillSwitchToolIsGuardedByTheMutationPolicy() {
        connect(MutationPolicy.DENY, Safety.none());
        var r = call(client, "kill_switch", Map.of("action", "engage", "reason", "x"));
        var denied = refused(r);
        assertThat(map(denied.get("refused_by"))).containsEntry("guard", "approval");
        assertThat(text(r)).startsWith("DENIED: refused by guard 'approval': the server refuses every mutating call");
        assertThat(server.killSwitch().engaged()).isEmpty();
        assertThat(ok(call(client, "kill_switch", Map.of("action", "status")))).containsEntry("engaged", false);
    }

    @Test
    void aLimitCountsAcrossToolCallsAndRunbookExecutions() {
        connect(MutationPolicy.ALLOW, Safety.builder().maxActionsPerHour(2).build());
        assertThat(poke(client, "a")).containsEntry("status", "SUCCEEDED");
        assertThat(ok(call(client, "execute-runbook", INCIDENT))).containsEntry("status", "SUCCEEDED");
        var third = poke(client, "b");
        assertThat(third).containsEntry("status", "DENIED");
        assertThat(map(third.get("refused_by"))).containsEntry("guard", "rate_limit");
        assertThat((String) map(third.get("refused_by")).get("reason")).contains("max_actions_per_hour 2");
        assertThat(poked).containsExactly("a", "w1");
    }
}
