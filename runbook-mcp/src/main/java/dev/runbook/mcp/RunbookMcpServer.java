package dev.runbook.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.compile.RunbookCompiler;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.docker.ContainerMonitor;
import dev.runbook.docker.DockerActions;
import dev.runbook.docker.DockerSafety;
import dev.runbook.k8s.KubernetesActions;
import dev.runbook.mcp.internal.ActionTarget;
import dev.runbook.mcp.internal.IncidentInput;
import dev.runbook.mcp.internal.Plain;
import dev.runbook.mcp.internal.ReadContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 002's monitor and executor MCP servers in one, on the guarded engine.
 *
 * <p>Monitor tools read: {@code get-container-metrics}, {@code get-container-logs}, {@code detect-anomaly},
 * {@code get-runbook}, {@code list-runbooks}, {@code explain-incident}, {@code plan-runbook}. Executor tools change:
 * {@code restart-container}, {@code scale-service}, {@code update-env-vars}, {@code rollback-deployment} and
 * {@code execute-runbook}. Each executor call runs through a {@link RunbookEngine} exactly as an in-process
 * remediation would: the four action tools as a one-step runbook with the Docker safety profile
 * ({@link DockerSafety}: rate limits, spacing, replica bounds, env whitelist) plus a dry run first and a blast radius
 * limit; {@code execute-runbook} with the library runbook that matches. The guard store is shared by every call,
 * so limits hold across tools, runbooks and clients. A refusal is a tool result with {@code isError} set and
 * {@code refused_by: {guard, reason}}, not a protocol error. Every mutating call needs approval, given as the
 * {@link MutationPolicy} says; the approver is recorded in the execution.
 *
 * <p>Every other action of the server's providers (the Kubernetes actions of runbook-k8s, {@code check_neo4j} of
 * runbook-neo4j, any host provider) is a tool of its own name, with the action's parameters as its input schema
 * (plus {@code cluster} for the Kubernetes actions). Core's built-in actions (log, set, fail, assert, wait, ...)
 * stay runbook steps and are not tools: they act on nothing an agent needs. Such a call is a one-step runbook
 * in the engine as well: a mutating action with the tool safety, dry run first and approval; a read with no
 * limit, dry run nor approval, but still through the engine so that it is recorded in the recent executions.
 *
 * <p>Resources: {@code runbook://library}, {@code runbook://runbooks/{id}} and {@code runbook://executions/recent}.
 * {@link #close()} closes the providers the server discovered itself (such as a Neo4j driver it opened).
 */
public final class RunbookMcpServer implements AutoCloseable {
    /** The executor tools backed by one Docker action each. */
    public static final List<String> ACTION_TOOLS = List.of("restart-container", "scale-service", "update-env-vars",
            "rollback-deployment");
    /** The root cause reason of the incident an action tool call is handled as. */
    public static final String TOOL_CALL_REASON = "MCP_TOOL_CALL";
    private static final Logger LOG = LoggerFactory.getLogger(RunbookMcpServer.class);
    private static final String JSON = "application/json";
    /** The tool names of seed 002's monitor and the library tools, which no action tool may take. */
    private static final Set<String> FIXED_TOOLS = Set.of("get-container-metrics", "get-container-logs",
            "detect-anomaly", "get-runbook", "list-runbooks", "explain-incident", "plan-runbook", "execute-runbook");
    /** A read needs no limit, dry run nor approval: the guards count and lock changes. */
    private static final Safety READ_SAFETY = Safety.builder().build();

    private final List<Runbook> library;
    private final Map<String, String> sources;
    private final DockerActions docker;
    private final List<ActionProvider> providers;
    private final List<AutoCloseable> discovered;
    private final List<Action> actionTools;
    private final Set<String> kubernetesTools;
    private final ContainerMonitor monitor;
    private final Optional<DockerClient> lookup;
    private final GuardStore guards;
    private final Clock clock;
    private final MutationPolicy policy;
    private final Optional<String> approver;
    private final Safety toolSafety;
    private final int recentCapacity;
    private final Deque<Execution> recent = new ArrayDeque<>();
    private final Map<String, Incident> detected = new LinkedHashMap<>();
    private final McpJsonMapper json;
    private final String version;

    private RunbookMcpServer(Builder b) {
        this.library = List.copyOf(b.library);
        this.sources = Map.copyOf(b.sources);
        this.docker = b.docker;
        this.monitor = b.monitor;
        this.lookup = Optional.ofNullable(b.lookup);
        this.guards = b.guards != null ? b.guards : new InMemoryGuardStore();
        this.clock = b.clock;
        this.policy = b.policy;
        this.approver = Optional.ofNullable(b.approver);
        this.toolSafety = b.toolSafety;
        this.recentCapacity = b.recentCapacity;
        this.json = new JacksonMcpJsonMapper(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS));
        this.version = b.version;
        var all = new ArrayList<ActionProvider>();
        all.add(docker);
        all.addAll(b.providers);
        var closeable = new ArrayList<AutoCloseable>();
        if (b.discover) {
            // one instance of each discovered provider for the server's life (a per-call discovery would open a
            // Neo4j driver per call); a configured provider replaces a discovered one of its class, as in the engine
            Set<Class<?>> explicit = new HashSet<>();
            all.forEach(p -> explicit.add(p.getClass()));
            for (ActionProvider p : ActionRegistry.discover(RunbookMcpServer.class.getClassLoader())) {
                if (!explicit.contains(p.getClass())) {
                    all.add(p);
                    if (p instanceof AutoCloseable c) {
                        closeable.add(c);
                    }
                }
            }
        }
        this.providers = List.copyOf(all);
        this.discovered = List.copyOf(closeable);
        ActionRegistry.Builder registry = ActionRegistry.builder();
        providers.forEach(registry::provider);
        registry.build(); // two providers claiming one name fail here, at start
        var tools = new ArrayList<Action>();
        var k8s = new HashSet<String>();
        var names = new HashSet<String>(FIXED_TOOLS);
        names.addAll(ACTION_TOOLS);
        for (ActionProvider p : providers) {
            if (p instanceof DockerActions || p instanceof BuiltinActions) {
                continue;
            }
            for (Action a : p.actions()) {
                if (!a.name().equals(RunbookCompiler.CHAIN_ACTION) && names.add(a.name())) {
                    tools.add(a);
                    if (p instanceof KubernetesActions) {
                        k8s.add(a.name());
                    }
                }
            }
        }
        this.actionTools = List.copyOf(tools);
        this.kubernetesTools = Set.copyOf(k8s);
        // compile once now so that a broken library fails at start, not at the first call
        engineBuilder(requiringApproval(library)).build().close();
    }

    /** The actions served as tools of their own name, besides the Docker executor tools. */
    public List<String> actionTools() {
        return actionTools.stream().map(Action::name).toList();
    }

    /** Closes the providers the server discovered itself; configured providers belong to the host. */
    @Override
    public void close() {
        for (AutoCloseable c : discovered) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", c, e);
            }
        }
    }

    private RunbookEngine.Builder engineBuilder(List<Runbook> runbooks) {
        var b = RunbookEngine.builder().classLoader(RunbookMcpServer.class.getClassLoader()).discoverActions(false)
                .runbooks(runbooks);
        providers.forEach(b::actionProvider);
        return b;
    }

    /** A builder; {@link Builder#dockerActions} and {@link Builder#monitor} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The JSON mapper the transports use (Jackson 2). */
    public McpJsonMapper jsonMapper() {
        return json;
    }

    /** The runbook library. */
    public List<Runbook> runbooks() {
        return library;
    }

    /** The latest executions this server ran, newest first. */
    public synchronized List<Execution> recentExecutions() {
        return List.copyOf(recent);
    }

    /** Serves MCP over these streams (stdin and stdout for a client that launched the server). */
    public McpSyncServer serveStdio(InputStream in, OutputStream out) {
        return configure(McpServer.sync(new StdioServerTransportProvider(json, in, out)));
    }

    /**
     * Serves MCP over streamable HTTP at {@code http://127.0.0.1:port/mcp} (0: any free port), each request
     * authenticated by a token generated now into {@code ~/.runbook/mcp-http-<port>.token} (see
     * {@link McpHttpServer#tokenFile()}).
     */
    public McpHttpServer serveHttp(int port) {
        return serveHttp(McpHttpOptions.port(port));
    }

    /** Serves MCP over streamable HTTP as the options say (port, token, token file, or no authentication). */
    public McpHttpServer serveHttp(McpHttpOptions options) {
        return McpHttpServer.start(this, options);
    }

    <S extends McpServer.SyncSpecification<S>> McpSyncServer configure(McpServer.SyncSpecification<S> spec) {
        return spec.serverInfo("runbook-mcp", version)
                .instructions("Runbook's guarded remediation engine for containers (and Kubernetes and Neo4j when "
                        + "configured). Read with the monitor tools and the read actions; "
                        + "every change goes through the engine's guards (rate limits, spacing, bounds, whitelists, "
                        + "blast radius, dry run first, approval). A refusal is a tool result naming the guard.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
                .requestTimeout(Duration.ofMinutes(10))
                .tools(tools()).resources(resources()).resourceTemplates(resourceTemplates()).build();
    }

    // ---------------------------------------------------------------- tools

    /** Every tool, monitor tools first. */
    public List<SyncToolSpecification> tools() {
        var out = new ArrayList<SyncToolSpecification>();
        Action metrics = action("container-metrics");
        out.add(tool("get-container-metrics", "Reads a container's memory usage and limit and its CPU percent.",
                metrics.schema(), true, (ex, args) -> read(metrics, args)));
        Action logs = action("container-logs");
        out.add(tool("get-container-logs", "Reads a container's recent log lines; with 'pattern', counts the matching lines.",
                logs.schema(), true, (ex, args) -> read(logs, args)));
        out.add(tool("detect-anomaly", "Samples the containers and returns the anomalies raised (MEMORY_SPIKE, "
                        + "CPU_OVERLOAD, HIGH_ERROR_RATE, OOM_KILLED) as incidents for explain-incident, plan-runbook and "
                        + "execute-runbook. An anomaly is reported once per episode.",
                ParamSchema.of(ParamSpec.withDefault("samples", ParamType.INTEGER, 2,
                                "how many samples to take (1-20); CPU needs two"),
                        ParamSpec.withDefault("interval", ParamType.DURATION, "1s", "time between samples"),
                        ParamSpec.optional("container", ParamType.STRING, "only incidents of this container")),
                true, (ex, args) -> detect(args)));
        out.add(tool("get-runbook", "A runbook in full (trigger, safety, steps, rollback, source) by id, or the runbooks "
                        + "that handle an anomaly type.",
                ParamSchema.of(ParamSpec.optional("id", ParamType.STRING, "the runbook's id"),
                        ParamSpec.optional("anomaly", ParamType.STRING, "an anomaly type such as MEMORY_SPIKE")),
                true, (ex, args) -> getRunbook(args)));
        out.add(tool("list-runbooks", "The runbook library: id, name, trigger and the actions each runbook uses.",
                ParamSchema.of(), true, (ex, args) -> result(Map.of("runbooks", library.stream().map(Plain::runbookSummary).toList()), false)));
        ParamSchema incident = ParamSchema.of(
                ParamSpec.optional("incident_id", ParamType.STRING, "an incident returned by detect-anomaly"),
                ParamSpec.optional("incident", ParamType.MAP, "an incident: {root_cause_reason, rca_confidence, "
                        + "resource: {kind, name, namespace, controller}, attributes, labels}"));
        out.add(tool("explain-incident", "Which runbooks match an incident, and for each runbook the criteria that "
                + "passed or failed.", incident, true, (ex, args) -> explain(args)));
        out.add(tool("plan-runbook", "The dry run of the matching runbook for an incident: every guard up to and "
                + "including the dry run, what each step would do. Changes nothing.", incident, true,
                (ex, args) -> plan(ex, args)));
        for (String name : ACTION_TOOLS) {
            Action a = action(name);
            out.add(tool(name, a.description() + ". Runs through the engine's guards (Docker safety profile, dry run "
                    + "first) and needs approval.", a.schema(), false, (ex, args) -> actionCall(ex, a, args)));
        }
        for (Action a : actionTools) {
            boolean k8s = kubernetesTools.contains(a.name());
            String how = a.mutating() ? ". A change: runs as a one-step runbook through the engine's guards (rate "
                    + "limits, spacing, bounds, dry run first, blast radius) and needs approval."
                    : ". A read: runs through the engine (recorded in runbook://executions/recent), no approval.";
            out.add(tool(a.name(), a.description() + how + (k8s ? " 'cluster' picks the kubeconfig context or "
                    + "registered cluster (default: the server's)." : ""), withContext(a, k8s), !a.mutating(),
                    (ex, args) -> actionToolCall(ex, a, k8s, args)));
        }
        out.add(tool("execute-runbook", "Handles an incident with the matching runbook: guards, dry run, approval, "
                + "steps, verification, rollback on failure.", incident, false, (ex, args) -> execute(ex, args)));
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
            t.setContextClassLoader(RunbookMcpServer.class.getClassLoader());
            try {
                return handler.apply(ex, args);
            } catch (IllegalArgumentException e) {
                return error(name + ": " + e.getMessage());
            } catch (RuntimeException e) {
                // the trace and the exception's class go to the log; the client gets the message only
                LOG.warn("tool {} failed", name, e);
                return error(name + " failed: " + Optional.ofNullable(e.getMessage()).filter(m -> !m.isBlank())
                        .orElse("an internal error (see the server's log)"));
            } finally {
                t.setContextClassLoader(before);
            }
        }).build();
    }

    private Action action(String name) {
        return docker.actions().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("DockerActions has no action " + name));
    }

    private CallToolResult read(Action action, Map<String, Object> args) {
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
            return result(out, false);
        } catch (ActionException e) {
            return error(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("interrupted");
        } catch (Exception e) {
            return error(action.name() + " failed: " + e.getMessage());
        }
    }

    private CallToolResult detect(Map<String, Object> args) {
        Map<String, Object> p = ParamSchema.of(ParamSpec.withDefault("samples", ParamType.INTEGER, 2, ""),
                ParamSpec.withDefault("interval", ParamType.DURATION, "1s", ""),
                ParamSpec.optional("container", ParamType.STRING, "")).apply(args);
        long samples = (Long) p.get("samples");
        if (samples < 1 || samples > 20) {
            throw new IllegalArgumentException("'samples' must be from 1 to 20, got " + samples);
        }
        Duration interval = (Duration) p.get("interval");
        if (interval.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("'interval' must be at most 30s, got " + interval);
        }
        Optional<String> only = Optional.ofNullable((String) p.get("container"));
        var found = new ArrayList<Incident>();
        synchronized (monitor) {
            for (int i = 0; i < samples; i++) {
                if (i > 0) {
                    try {
                        // samples of a real engine, spaced in real time
                        Thread.sleep(interval.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                found.addAll(monitor.sample());
            }
        }
        var list = found.stream().filter(i -> only.isEmpty() || i.resource().name().equals(only.get())).toList();
        synchronized (this) {
            list.forEach(i -> detected.put(i.incidentId(), i));
            while (detected.size() > 200) {
                detected.remove(detected.keySet().iterator().next());
            }
        }
        return result(Map.of("samples", samples, "incidents", list.stream().map(i -> Plain.of(i.toMap())).toList()), false);
    }

    private CallToolResult getRunbook(Map<String, Object> args) {
        Map<String, Object> p = ParamSchema.of(ParamSpec.optional("id", ParamType.STRING, ""),
                ParamSpec.optional("anomaly", ParamType.STRING, "")).apply(args);
        String id = (String) p.get("id");
        String anomaly = (String) p.get("anomaly");
        if ((id == null) == (anomaly == null)) {
            throw new IllegalArgumentException("give either 'id' (one of " + library.stream().map(Runbook::id).toList()
                    + ") or 'anomaly' (such as MEMORY_SPIKE)");
        }
        List<Runbook> found = library.stream().filter(rb -> id != null ? rb.id().equals(id)
                : rb.trigger().rootCauseReasons().contains(anomaly)).toList();
        if (found.isEmpty()) {
            return error(id != null ? "no runbook with id '" + id + "' (known: " + library.stream().map(Runbook::id).toList() + ")"
                    : "no runbook handles anomaly '" + anomaly + "' (handled: " + library.stream()
                    .flatMap(rb -> rb.trigger().rootCauseReasons().stream()).distinct().toList() + ")");
        }
        return result(Map.of("runbooks", found.stream().map(this::describe).toList()), false);
    }

    private Map<String, Object> describe(Runbook rb) {
        var m = Plain.runbook(rb);
        Optional.ofNullable(sources.get(rb.id())).ifPresent(s -> m.put("source", s));
        return m;
    }

    private Incident incident(Map<String, Object> args) {
        Object id = args.get("incident_id");
        Object inc = args.get("incident");
        for (String k : args.keySet()) {
            if (!k.equals("incident_id") && !k.equals("incident")) {
                throw new IllegalArgumentException("unknown argument '" + k + "' (known: incident_id, incident)");
            }
        }
        if ((id == null) == (inc == null)) {
            throw new IllegalArgumentException("give either 'incident_id' (from detect-anomaly) or 'incident' (an object)");
        }
        if (id != null) {
            synchronized (this) {
                Incident found = detected.get(String.valueOf(id));
                if (found == null) {
                    throw new IllegalArgumentException("no incident '" + id + "' was detected by this server; "
                            + "call detect-anomaly first or pass the incident itself as 'incident'");
                }
                return found;
            }
        }
        return IncidentInput.parse(inc);
    }

    private CallToolResult explain(Map<String, Object> args) {
        Incident incident = incident(args);
        try (RunbookEngine engine = libraryEngine(Optional.empty())) {
            return result(Plain.matchReport(engine.explain(incident)), false);
        }
    }

    private CallToolResult plan(McpSyncServerExchange ex, Map<String, Object> args) {
        Incident incident = incident(args);
        try (RunbookEngine engine = libraryEngine(Optional.of(ex))) {
            return executionResult(engine.plan(incident), false);
        }
    }

    private CallToolResult execute(McpSyncServerExchange ex, Map<String, Object> args) {
        Incident incident = incident(args);
        try (RunbookEngine engine = libraryEngine(Optional.of(ex))) {
            return executionResult(engine.handle(incident), true);
        }
    }

    private CallToolResult actionCall(McpSyncServerExchange ex, Action action, Map<String, Object> args) {
        // type and name errors before anything runs; the engine checks again after rendering
        action.schema().apply(args);
        ResourceRef resource = resourceOf(action.name(), args);
        Incident incident = Incident.builder("mcp-" + action.name() + "-" + UUID.randomUUID())
                .rootCause(TOOL_CALL_REASON, 1.0).symptomReason(action.name()).resource(resource)
                .attribute("tool", action.name()).attribute("args", args).build();
        var step = ActionStep.builder(action.name(), action.name());
        // the arguments reach the action as data: each param renders one incident attribute, never a template
        args.keySet().forEach(k -> step.param(k, "{{ incident.attributes.args." + k + " }}"));
        Runbook rb = Runbook.builder("mcp-" + action.name()).name("MCP tool " + action.name()).version("1")
                .description("One call of the MCP tool " + action.name() + ", guarded like any runbook")
                .trigger(Trigger.any()).safety(requiringApproval(toolSafety)).step(step.build()).build();
        try (RunbookEngine engine = engine(List.of(rb), Optional.of(ex))) {
            return executionResult(engine.handle(incident), true);
        }
    }

    /** The action's parameters plus the incident context a Kubernetes call may set ({@code cluster}). */
    private static ParamSchema withContext(Action a, boolean kubernetes) {
        if (!kubernetes || a.schema().param("cluster").isPresent()) {
            return a.schema();
        }
        var params = new ArrayList<>(a.schema().params());
        params.add(ParamSpec.optional("cluster", ParamType.STRING, "the cluster: a kubeconfig context or a cluster "
                + "the server registered (default: the server's default cluster, --kube-context)"));
        return new ParamSchema(params, a.schema().additionalAllowed());
    }

    private CallToolResult actionToolCall(McpSyncServerExchange ex, Action action, boolean kubernetes,
                                          Map<String, Object> args) {
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
        ResourceRef resource = ActionTarget.of(action.name(), params);
        var ib = Incident.builder("mcp-" + action.name() + "-" + UUID.randomUUID())
                .rootCause(TOOL_CALL_REASON, 1.0).symptomReason(action.name()).resource(resource)
                .attribute("tool", action.name()).attribute("args", params);
        cluster.ifPresent(ib::cluster);
        var step = ActionStep.builder(action.name(), action.name());
        // the arguments reach the action as data, never as templates: text without braces is the step's literal
        // value (check_neo4j refuses a query text that the runbook templates), anything else renders one incident
        // attribute, whose value is not evaluated
        params.forEach((k, v) -> step.param(k, v instanceof String text && !text.contains("{{") && !text.contains("}}")
                ? text : "{{ incident.attributes.args." + k + " }}"));
        Runbook rb = Runbook.builder("mcp-" + action.name()).name("MCP tool " + action.name()).version("1")
                .description("One call of the MCP tool " + action.name() + ", guarded like any runbook")
                .trigger(Trigger.any()).safety(action.mutating() ? requiringApproval(toolSafety) : READ_SAFETY)
                .step(step.build()).build();
        try (RunbookEngine engine = engine(List.of(rb), Optional.of(ex))) {
            Execution e = engine.handle(ib.build());
            CallToolResult r = executionResult(e, true);
            // the action's answer on top, where an agent looks first (a read's value, a change's before/after)
            var steps = e.steps();
            if (steps.isEmpty() || steps.get(steps.size() - 1).output().isEmpty()) {
                return r;
            }
            @SuppressWarnings("unchecked")
            var content = new LinkedHashMap<>((Map<String, Object>) r.structuredContent());
            content.put("output", Plain.of(steps.get(steps.size() - 1).output().get()));
            return result(content, r.isError(), ((McpSchema.TextContent) r.content().get(0)).text().lines()
                    .findFirst().orElse(""));
        }
    }

    private ResourceRef resourceOf(String action, Map<String, Object> args) {
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

    private RunbookEngine libraryEngine(Optional<McpSyncServerExchange> ex) {
        return engine(requiringApproval(library), ex);
    }

    private RunbookEngine engine(List<Runbook> runbooks, Optional<McpSyncServerExchange> ex) {
        String client = ex.map(RunbookMcpServer::clientName).orElse("unknown");
        String who = approver.orElse("mcp-client:" + client);
        // the server's own class loader: under HTTP the calling thread's context loader is the servlet container's
        var b = engineBuilder(runbooks).guardStore(guards).clock(clock).executedBy("mcp:" + client);
        switch (policy) {
            case ALLOW -> b.approvalPolicy(req -> Optional.of(ApprovalDecision.approve(who,
                    "mutations allowed by the server's policy (--allow-mutations)", clock.instant())));
            case DENY -> b.approvalGateway(req -> CompletableFuture.completedFuture(ApprovalDecision.deny("mcp-server",
                    "the server refuses every mutating call (--approval deny); restart it with --allow-mutations or "
                            + "--approval ask to allow them", clock.instant())));
            case ASK_CLIENT -> b.approvalGateway(ex.<ApprovalGateway>map(e -> req -> CompletableFuture.completedFuture(
                    askClient(e, who, req))).orElseGet(() -> ApprovalGateway.denyAll(clock)));
        }
        return b.build();
    }

    private ApprovalDecision askClient(McpSyncServerExchange ex, String who, dev.runbook.core.approval.ApprovalRequest req) {
        var caps = ex.getClientCapabilities();
        if (caps == null || caps.elicitation() == null) {
            return ApprovalDecision.deny("mcp-server", "mutating tools need approval and client '" + clientName(ex)
                    + "' cannot be asked (it does not support elicitation); start the server with --allow-mutations "
                    + "to approve calls in the client's name", clock.instant());
        }
        String message = "Approve runbook " + req.runbookId() + " for " + req.incident().resource().key() + "?\n"
                + String.join("\n", req.plannedSteps());
        var schema = Map.<String, Object>of("type", "object", "properties", Map.of("approve", Map.of("type", "boolean",
                "description", "approve this change")), "required", List.of("approve"));
        McpSchema.ElicitResult r = ex.createElicitation(McpSchema.ElicitRequest.builder().message(message)
                .requestedSchema(schema).build());
        boolean ok = r.action() == McpSchema.ElicitResult.Action.ACCEPT && r.content() != null
                && Boolean.TRUE.equals(r.content().get("approve"));
        return ok ? ApprovalDecision.approve(who, "approved by the client's user when asked", clock.instant())
                : ApprovalDecision.deny(who, "the client's user did not approve (" + r.action() + ")", clock.instant());
    }

    private static String clientName(McpSyncServerExchange ex) {
        var info = ex.getClientInfo();
        return info == null || info.name() == null || info.name().isBlank() ? "unknown" : info.name();
    }

    private CallToolResult executionResult(Execution e, boolean record) {
        if (record) {
            synchronized (this) {
                recent.addFirst(e);
                while (recent.size() > recentCapacity) {
                    recent.removeLast();
                }
            }
        }
        boolean ok = e.status() == ExecutionStatus.SUCCEEDED || e.status() == ExecutionStatus.PLANNED;
        String headline = e.denial().map(d -> e.status() + ": refused by guard '" + d.guard() + "': " + d.reason())
                .orElse(e.status() + (e.error().map(err -> ": " + err).orElse("")));
        return result(Plain.execution(e), !ok, headline);
    }

    // ---------------------------------------------------------------- resources

    /** {@code runbook://library} and {@code runbook://executions/recent}, plus one resource per runbook. */
    public List<SyncResourceSpecification> resources() {
        var out = new ArrayList<SyncResourceSpecification>();
        out.add(new SyncResourceSpecification(McpSchema.Resource.builder().uri("runbook://library").name("runbook-library")
                .description("Every runbook this server can run: id, trigger, actions").mimeType(JSON).build(),
                (ex, req) -> text(req.uri(), Map.of("runbooks", library.stream().map(Plain::runbookSummary).toList()))));
        out.add(new SyncResourceSpecification(McpSchema.Resource.builder().uri("runbook://executions/recent")
                .name("recent-executions").description("The latest executions, newest first, with guard decisions, "
                        + "approval and steps").mimeType(JSON).build(),
                (ex, req) -> text(req.uri(), Map.of("executions", recentExecutions().stream().map(Plain::execution).toList()))));
        for (Runbook rb : library) {
            out.add(new SyncResourceSpecification(McpSchema.Resource.builder().uri("runbook://runbooks/" + rb.id())
                    .name(rb.id()).description(rb.name()).mimeType(JSON).build(),
                    (ex, req) -> text(req.uri(), describe(rb))));
        }
        return out;
    }

    /** {@code runbook://runbooks/{id}}. */
    public List<SyncResourceTemplateSpecification> resourceTemplates() {
        return List.of(new SyncResourceTemplateSpecification(McpSchema.ResourceTemplate.builder()
                .uriTemplate("runbook://runbooks/{id}").name("runbook").description("One runbook in full, with its source")
                .mimeType(JSON).build(), (ex, req) -> {
                    String id = req.uri().substring("runbook://runbooks/".length());
                    Runbook rb = library.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() ->
                            new IllegalArgumentException("no runbook '" + id + "' (known: "
                                    + library.stream().map(Runbook::id).toList() + ")"));
                    return text(req.uri(), describe(rb));
                }));
    }

    private McpSchema.ReadResourceResult text(String uri, Object value) {
        return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, JSON, write(value))));
    }

    // ---------------------------------------------------------------- results

    private CallToolResult result(Map<String, Object> value, boolean isError) {
        return result(value, isError, null);
    }

    private CallToolResult result(Map<String, Object> value, boolean isError, String headline) {
        String body = write(value);
        return CallToolResult.builder().addTextContent(headline == null ? body : headline + "\n" + body)
                .structuredContent(value).isError(isError).build();
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runbooks with {@code require_approval} set, so every execution the server starts asks the policy. */
    static List<Runbook> requiringApproval(List<Runbook> runbooks) {
        return runbooks.stream().map(rb -> rb.safety().requireApproval() ? rb
                : rb.toBuilder().safety(requiringApproval(rb.safety())).build()).toList();
    }

    /** A copy of the safety with {@code require_approval} on and every other field kept. */
    static Safety requiringApproval(Safety s) {
        var b = Safety.builder().requireApproval(true).dryRunFirst(s.dryRunFirst()).minConfidence(s.minConfidence())
                .maxActionPerResourcePerHour(s.maxActionPerResourcePerHour()).allowedNamespaces(s.allowedNamespaces())
                .envWhitelist(s.envWhitelist()).resumeOnRecovery(s.resumeOnRecovery());
        s.maxExecutionsPerHour().ifPresent(b::maxExecutionsPerHour);
        s.blastRadiusLimit().ifPresent(b::blastRadiusLimit);
        s.cooldown().ifPresent(b::cooldown);
        s.minActionSpacing().ifPresent(b::minActionSpacing);
        s.maxExecutionsPerResourcePerHour().ifPresent(b::maxExecutionsPerResourcePerHour);
        s.maxActionsPerHour().ifPresent(b::maxActionsPerHour);
        s.replicas().ifPresent(r -> b.replicas(r.min(), r.max()));
        return b.build();
    }

    /** Builds a {@link RunbookMcpServer}; checks each value as it is given. */
    public static final class Builder {
        private final List<Runbook> library = new ArrayList<>();
        private final Map<String, String> sources = new LinkedHashMap<>();
        private DockerActions docker;
        private final List<ActionProvider> providers = new ArrayList<>();
        private boolean discover = true;
        private ContainerMonitor monitor;
        private DockerClient lookup;
        private GuardStore guards;
        private Clock clock = Clock.systemUTC();
        private MutationPolicy policy = MutationPolicy.ASK_CLIENT;
        private String approver;
        private Safety toolSafety = DockerSafety.builder().dryRunFirst(true).blastRadiusLimit(5)
                .envWhitelist(List.of("LOG_LEVEL")).build();
        private int recentCapacity = 50;
        private String version = "0.1.0";

        private Builder() {
        }

        /** Adds a runbook to the library. */
        public Builder runbook(Runbook runbook) {
            Objects.requireNonNull(runbook, "runbook");
            if (library.stream().anyMatch(r -> r.id().equals(runbook.id()))) {
                throw new IllegalArgumentException("two runbooks with id '" + runbook.id() + "'");
            }
            library.add(runbook);
            return this;
        }

        /** Adds a runbook and the text it was loaded from (shown by get-runbook). */
        public Builder runbook(Runbook runbook, String source) {
            runbook(runbook);
            sources.put(runbook.id(), Objects.requireNonNull(source, "source"));
            return this;
        }

        /** The Docker actions the tools and runbooks use (required; share its history with nothing else). */
        public Builder dockerActions(DockerActions actions) {
            this.docker = Objects.requireNonNull(actions, "actions");
            return this;
        }

        /**
         * A provider of more actions (such as {@code new KubernetesActions(clients)} or {@code new Neo4jActions(driver)}):
         * each action becomes a tool of its name and is available to the library's runbooks. It replaces a provider
         * of the same class that ServiceLoader finds. The host closes it.
         */
        public Builder actionProvider(ActionProvider provider) {
            Objects.requireNonNull(provider, "provider");
            if (provider instanceof DockerActions) {
                throw new IllegalArgumentException("give the Docker actions with dockerActions(...), not actionProvider(...)");
            }
            providers.add(provider);
            return this;
        }

        /**
         * Whether to add the providers ServiceLoader finds on the classpath (default true: core's built-ins for the
         * runbooks, and runbook-k8s and runbook-neo4j configured from system properties when they are present).
         */
        public Builder discoverActions(boolean discover) {
            this.discover = discover;
            return this;
        }

        /** The monitor behind detect-anomaly (required). */
        public Builder monitor(ContainerMonitor monitor) {
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            return this;
        }

        /** A client to name containers as the monitor does (compose project as namespace) for the guards' keys. */
        public Builder containerLookup(DockerClient client) {
            this.lookup = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Where rate limits, spacing and locks live (default: a new in-memory store). */
        public Builder guardStore(GuardStore store) {
            this.guards = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The clock of the guards' windows (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Who approves mutating calls (default {@link MutationPolicy#ASK_CLIENT}). */
        public Builder mutationPolicy(MutationPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The approver recorded for approved calls (default: {@code mcp-client:<client name>}). */
        public Builder approver(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("approver must be a non-empty name");
            }
            this.approver = name;
            return this;
        }

        /**
         * The safety of the four action tools (default: {@link DockerSafety}'s seed limits, dry run first, blast
         * radius 5, env whitelist {@code LOG_LEVEL}). Approval is always required on top.
         */
        public Builder toolSafety(Safety safety) {
            this.toolSafety = Objects.requireNonNull(safety, "safety");
            return this;
        }

        /** How many executions runbook://executions/recent keeps (default 50). */
        public Builder recentExecutions(int capacity) {
            if (capacity < 1 || capacity > 10_000) {
                throw new IllegalArgumentException("recentExecutions must be from 1 to 10000, got " + capacity);
            }
            this.recentCapacity = capacity;
            return this;
        }

        /** The version announced to clients. */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * The server.
         *
         * @throws IllegalStateException when the Docker actions or the monitor are missing
         * @throws dev.runbook.core.compile.RunbookValidationException when a runbook does not compile
         */
        public RunbookMcpServer build() {
            if (docker == null) {
                throw new IllegalStateException("dockerActions(...) is required");
            }
            if (monitor == null) {
                throw new IllegalStateException("monitor(...) is required");
            }
            return new RunbookMcpServer(this);
        }
    }
}
