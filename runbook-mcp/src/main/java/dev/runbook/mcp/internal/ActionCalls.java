package dev.runbook.mcp.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.docker.DockerActions;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an action tool call does. A change, or a read of a provider's action, is an incident
 * ({@code root_cause_reason: MCP_TOOL_CALL}) handled by a one-step runbook {@code mcp-<action>} on the server's one
 * engine, so every guard, the guard store and the kill switch apply as to any runbook. The monitor's container reads
 * run the read-only action directly: they change nothing, and the guards count and lock changes only.
 */
public final class ActionCalls {
    /** The root cause reason of the incident an action tool call is handled as. */
    public static final String TOOL_CALL_REASON = "MCP_TOOL_CALL";
    private static final Logger LOG = LoggerFactory.getLogger(ActionCalls.class);
    /** A read needs no limit, dry run nor approval: the guards count and lock changes. */
    private static final Safety READ_SAFETY = Safety.builder().build();

    private final EngineWiring wiring;
    private final Safety toolSafety;
    private final Optional<DockerClient> lookup;
    private final Clock clock;

    /**
     * @param toolSafety the safety of a change (approval is required on top)
     * @param lookup     a client to name containers as the monitor does, for the guards' keys
     */
    public ActionCalls(EngineWiring wiring, Safety toolSafety, Optional<DockerClient> lookup, Clock clock) {
        this.wiring = wiring;
        this.toolSafety = EngineWiring.requiringApproval(toolSafety);
        this.lookup = lookup;
        this.clock = clock;
    }

    /** A monitor read ({@code container-metrics}, {@code container-logs}): the action's output for the container. */
    public CallToolResult read(Action action, Map<String, Object> args) {
        Map<String, Object> params = action.schema().apply(args);
        String container = String.valueOf(params.get("container"));
        Incident incident = Incident.builder("mcp-read-" + UUID.randomUUID()).rootCause(TOOL_CALL_REASON, 1.0)
                .resource(ResourceRef.of("Container", "", container)).build();
        var ctx = new ReadContext("mcp-read-" + UUID.randomUUID(), Runbook.builder("mcp-read").name("MCP read").build(),
                action.name(), incident, params, clock, Optional.of(clock.instant().plus(Duration.ofMinutes(1))));
        try {
            ActionResult r = action.execute(ctx);
            var out = new LinkedHashMap<String, Object>();
            out.put("container", container);
            r.output().ifPresent(o -> {
                if (Plain.of(o) instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> out.put(String.valueOf(k), v));
                } else {
                    out.put("output", Plain.of(o));
                }
            });
            return Results.of(out, false);
        } catch (ActionException e) {
            return Results.error(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Results.error("interrupted");
        } catch (Exception e) {
            return Results.error(action.name() + " failed: " + e.getMessage());
        }
    }

    /** A Docker executor tool ({@code restart-container}, ...): the one-step runbook with the tool safety. */
    public CallToolResult docker(Caller caller, Action action, Map<String, Object> args) {
        // type and name errors before anything runs; the engine checks again after rendering
        action.schema().apply(args);
        Incident incident = Incident.builder("mcp-" + action.name() + "-" + UUID.randomUUID())
                .rootCause(TOOL_CALL_REASON, 1.0).symptomReason(action.name()).resource(containerOf(action.name(), args))
                .attribute("tool", action.name()).attribute("args", args).build();
        var step = ActionStep.builder(action.name(), action.name());
        // the arguments reach the action as data: each param renders one incident attribute, never a template
        args.keySet().forEach(k -> step.param(k, "{{ incident.attributes.args." + k + " }}"));
        return Results.execution(wiring.run(runbook(action, toolSafety, step), incident, caller));
    }

    /** The action's parameters plus the incident context a Kubernetes call may set ({@code cluster}). */
    public static ParamSchema withContext(Action a, boolean kubernetes) {
        if (!kubernetes || a.schema().param("cluster").isPresent()) {
            return a.schema();
        }
        var params = new ArrayList<>(a.schema().params());
        params.add(ParamSpec.optional("cluster", ParamType.STRING, "the cluster: a kubeconfig context or a cluster "
                + "the server registered (default: the server's default cluster, --kube-context)"));
        return new ParamSchema(params, a.schema().additionalAllowed());
    }

    /** Another provider's action ({@code kubectl_scale}, {@code check_neo4j}, ...): its output on top of the record. */
    public CallToolResult provider(Caller caller, Action action, boolean kubernetes, Map<String, Object> args) {
        var params = new LinkedHashMap<>(args);
        Optional<String> cluster = Optional.empty();
        if (kubernetes && action.schema().param("cluster").isEmpty() && params.containsKey("cluster")) {
            Object c = params.remove("cluster");
            if (!(c instanceof String s) || s.isBlank()) {
                throw new IllegalArgumentException("'cluster' must be non-empty text naming a kubeconfig context or a "
                        + "registered cluster, got " + c);
            }
            cluster = Optional.of(s);
        }
        // type and name errors before anything runs; the engine checks again after rendering
        action.schema().apply(params);
        var ib = Incident.builder("mcp-" + action.name() + "-" + UUID.randomUUID())
                .rootCause(TOOL_CALL_REASON, 1.0).symptomReason(action.name())
                .resource(ActionTarget.of(action.name(), params))
                .attribute("tool", action.name()).attribute("args", params);
        cluster.ifPresent(ib::cluster);
        var step = ActionStep.builder(action.name(), action.name());
        // the arguments reach the action as data, never as templates: text without braces is the step's literal
        // value (check_neo4j refuses a query text that the runbook templates), anything else renders one incident
        // attribute, whose value is not evaluated
        params.forEach((k, v) -> step.param(k, v instanceof String text && !text.contains("{{") && !text.contains("}}")
                ? text : "{{ incident.attributes.args." + k + " }}"));
        Execution e = wiring.run(runbook(action, action.mutating() ? toolSafety : READ_SAFETY, step), ib.build(), caller);
        CallToolResult r = Results.execution(e);
        // the action's answer on top, where an agent looks first (a read's value, a change's before/after)
        var steps = e.steps();
        if (steps.isEmpty() || steps.get(steps.size() - 1).output().isEmpty()) {
            return r;
        }
        @SuppressWarnings("unchecked")
        var content = new LinkedHashMap<>((Map<String, Object>) r.structuredContent());
        content.put("output", Plain.of(steps.get(steps.size() - 1).output().get()));
        return Results.of(content, r.isError(), ((McpSchema.TextContent) r.content().get(0)).text().lines()
                .findFirst().orElse(""));
    }

    /** The call's one-step runbook {@code mcp-<action>}; it matches only its own tool's calls. */
    private static Runbook runbook(Action action, Safety safety, ActionStep.Builder step) {
        return Runbook.builder("mcp-" + action.name()).name("MCP tool " + action.name()).version("1")
                .description("One call of the MCP tool " + action.name() + ", guarded like any runbook")
                .trigger(Trigger.builder().rootCauseReason(TOOL_CALL_REASON).symptomReason(action.name()).build())
                .safety(safety).step(step.build()).build();
    }

    /** The resource the guards key a Docker tool call on: the container as the monitor names it, a service or selector. */
    private ResourceRef containerOf(String action, Map<String, Object> args) {
        Object container = args.get("container");
        Object service = args.get("service");
        if (container instanceof String c && !c.isBlank()) {
            return containerRef(c);
        }
        if (service instanceof String s && !s.isBlank()) {
            Object project = args.get("project");
            return ResourceRef.of("Service", project instanceof String p ? p : "", s);
        }
        if (args.get("selector") instanceof String sel && !sel.isBlank()) {
            return ResourceRef.of("Selector", "", sel);
        }
        throw new IllegalArgumentException(switch (action) {
            case "restart-container" -> "give 'container' (name or id) or 'selector' (app=web)";
            case "rollback-deployment" -> "give 'container' or 'service'";
            default -> "give the container or service to act on";
        });
    }

    /** The container as the monitor names it (compose project as namespace), so guards count one resource once. */
    private ResourceRef containerRef(String nameOrId) {
        if (lookup.isPresent()) {
            try {
                InspectContainerResponse c = lookup.get().inspectContainerCmd(nameOrId).exec();
                Map<String, String> labels = c.getConfig() == null || c.getConfig().getLabels() == null ? Map.of()
                        : c.getConfig().getLabels();
                ResourceRef ref = ResourceRef.of("Container", labels.getOrDefault(DockerActions.COMPOSE_PROJECT_LABEL, ""),
                        c.getName().replaceFirst("^/", ""));
                String service = labels.get(DockerActions.COMPOSE_SERVICE_LABEL);
                return service == null ? ref : ref.withController(service);
            } catch (RuntimeException e) {
                // unknown container: the action's dry run reports it with the engine's address
                LOG.debug("cannot inspect {}: {}", nameOrId, e.toString());
            }
        }
        return ResourceRef.of("Container", "", nameOrId);
    }
}
