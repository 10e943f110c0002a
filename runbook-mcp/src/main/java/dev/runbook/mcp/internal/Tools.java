package dev.runbook.mcp.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.docker.DockerActions;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool specifications and what each call does: seed 002's monitor and executor tools, the library tools, one
 * tool per provider action, {@code kill_switch} and {@code resume_runbook}. A handler's bad argument is a tool error naming it; any other
 * failure's trace goes to the log and the client gets its message only.
 */
public final class Tools {
    /** The executor tools backed by one Docker action each. */
    public static final List<String> DOCKER_TOOLS = List.of("restart-container", "scale-service", "update-env-vars",
            "rollback-deployment");
    /** The tool names of seed 002's monitor, the library tools and the kill switch, which no action tool may take. */
    public static final Set<String> FIXED_TOOLS = Set.of("get-container-metrics", "get-container-logs",
            "detect-anomaly", "get-runbook", "list-runbooks", "explain-incident", "plan-runbook", "execute-runbook",
            KillSwitchTool.NAME, ResumeRunbookTool.NAME);
    private static final Logger LOG = LoggerFactory.getLogger(Tools.class);

    private final EngineWiring wiring;
    private final DockerActions docker;
    private final ActionCalls calls;
    private final LibraryCalls library;
    private final KillSwitchTool killSwitch;

    public Tools(EngineWiring wiring, DockerActions docker, ActionCalls calls, LibraryCalls library,
                 KillSwitchTool killSwitch) {
        this.wiring = wiring;
        this.docker = docker;
        this.calls = calls;
        this.library = library;
        this.killSwitch = killSwitch;
    }

    /** Every tool, monitor tools first. */
    public List<SyncToolSpecification> all() {
        var out = new ArrayList<SyncToolSpecification>();
        Action metrics = dockerAction("container-metrics");
        out.add(tool("get-container-metrics", "Reads a container's memory usage and limit and its CPU percent.",
                metrics.schema(), true, (ex, args) -> calls.read(metrics, args)));
        Action logs = dockerAction("container-logs");
        out.add(tool("get-container-logs", "Reads a container's recent log lines; with 'pattern', counts the matching lines.",
                logs.schema(), true, (ex, args) -> calls.read(logs, args)));
        out.add(tool("detect-anomaly", "Samples the containers and returns the anomalies raised (MEMORY_SPIKE, "
                        + "CPU_OVERLOAD, HIGH_ERROR_RATE, OOM_KILLED) as incidents for explain-incident, plan-runbook and "
                        + "execute-runbook. An anomaly is reported once per episode.", LibraryCalls.DETECT, true,
                (ex, args) -> library.detect(args)));
        out.add(tool("get-runbook", "A runbook in full (trigger, safety, steps, rollback, source) by id, or the runbooks "
                        + "that handle an anomaly type.",
                ParamSchema.of(ParamSpec.optional("id", ParamType.STRING, "the runbook's id"),
                        ParamSpec.optional("anomaly", ParamType.STRING, "an anomaly type such as MEMORY_SPIKE")),
                true, (ex, args) -> library.getRunbook(args)));
        out.add(tool("list-runbooks", "The runbook library: id, name, trigger and the actions each runbook uses.",
                ParamSchema.of(), true, (ex, args) -> Results.of(Map.of("runbooks", wiring.library().stream()
                        .map(Plain::runbookSummary).toList()), false)));
        out.add(tool("explain-incident", "Which runbooks match an incident, and for each runbook the criteria that "
                + "passed or failed.", LibraryCalls.INCIDENT, true, (ex, args) -> library.explain(args)));
        out.add(tool("plan-runbook", "The dry run of the matching runbook for an incident: every guard up to and "
                + "including the dry run, what each step would do. Changes nothing.", LibraryCalls.INCIDENT, true,
                (ex, args) -> library.plan(Caller.of(ex), args)));
        for (String name : DOCKER_TOOLS) {
            Action a = dockerAction(name);
            out.add(tool(name, a.description() + ". Runs through the engine's guards (Docker safety profile, dry run "
                    + "first) and needs approval.", a.schema(), false, (ex, args) -> calls.docker(Caller.of(ex), a, args)));
        }
        for (Action a : wiring.actionTools()) {
            boolean k8s = wiring.kubernetes(a.name());
            String how = a.mutating() ? ". A change: runs as a one-step runbook through the engine's guards (rate "
                    + "limits, spacing, bounds, dry run first, blast radius) and needs approval."
                    : ". A read: runs through the engine (recorded in runbook://executions/recent), no approval.";
            out.add(tool(a.name(), a.description() + how + (k8s ? " 'cluster' picks the kubeconfig context or "
                    + "registered cluster (default: the server's)." : ""), ActionCalls.withContext(a, k8s), !a.mutating(),
                    (ex, args) -> calls.provider(Caller.of(ex), a, k8s, args)));
        }
        out.add(tool("execute-runbook", "Handles an incident with the matching runbook: guards, dry run, approval, "
                + "steps, verification, rollback on failure.", LibraryCalls.INCIDENT, false,
                (ex, args) -> library.execute(Caller.of(ex), args)));
        out.add(tool(KillSwitchTool.NAME, KillSwitchTool.DESCRIPTION, KillSwitchTool.SCHEMA, false,
                (ex, args) -> killSwitch.call(Caller.of(ex), args)));
        var resume = new ResumeRunbookTool(wiring.engine(), wiring.approvals());
        out.add(tool(ResumeRunbookTool.NAME, ResumeRunbookTool.DESCRIPTION, ResumeRunbookTool.SCHEMA, false,
                (ex, args) -> resume.call(Caller.of(ex), args)));
        return out;
    }

    private SyncToolSpecification tool(String name, String description, ParamSchema schema, boolean readOnly,
                                       BiFunction<McpSyncServerExchange, Map<String, Object>, CallToolResult> handler) {
        Map<String, Object> s = Plain.inputSchema(schema);
        @SuppressWarnings("unchecked")
        var input = new McpSchema.JsonSchema("object", (Map<String, Object>) s.get("properties"),
                (List<String>) s.get("required"), schema.additionalAllowed(), null, null);
        var tool = McpSchema.Tool.builder().name(name).description(description).inputSchema(input)
                .annotations(new McpSchema.ToolAnnotations(null, readOnly, !readOnly, false, false, null)).build();
        return SyncToolSpecification.builder().tool(tool).callHandler((ex, req) -> {
            Map<String, Object> args = req.arguments() == null ? Map.of() : req.arguments();
            Thread t = Thread.currentThread();
            ClassLoader before = t.getContextClassLoader();
            // under HTTP the thread carries the servlet container's loader, which ServiceLoader and MVEL would use
            t.setContextClassLoader(Tools.class.getClassLoader());
            try {
                return handler.apply(ex, args);
            } catch (IllegalArgumentException e) {
                return Results.error(name + ": " + e.getMessage());
            } catch (RuntimeException e) {
                // the trace and the exception's class go to the log; the client gets the message only
                LOG.warn("tool {} failed", name, e);
                return Results.error(name + " failed: " + Optional.ofNullable(e.getMessage()).filter(m -> !m.isBlank())
                        .orElse("an internal error (see the server's log)"));
            } finally {
                t.setContextClassLoader(before);
            }
        }).build();
    }

    private Action dockerAction(String name) {
        return docker.actions().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("DockerActions has no action " + name));
    }
}
