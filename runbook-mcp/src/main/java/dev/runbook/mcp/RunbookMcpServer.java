package dev.runbook.mcp;

import com.github.dockerjava.api.DockerClient;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.KillSwitch;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.docker.ContainerMonitor;
import dev.runbook.docker.DockerActions;
import dev.runbook.docker.DockerSafety;
import dev.runbook.mcp.internal.ActionCalls;
import dev.runbook.mcp.internal.EngineWiring;
import dev.runbook.mcp.internal.KillSwitchTool;
import dev.runbook.mcp.internal.LibraryCalls;
import dev.runbook.mcp.internal.Resources;
import dev.runbook.mcp.internal.Results;
import dev.runbook.mcp.internal.StdioTransport;
import dev.runbook.mcp.internal.Tools;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Seed 002's monitor and executor MCP servers in one, on the guarded engine.
 *
 * <p>Monitor tools read: {@code get-container-metrics}, {@code get-container-logs}, {@code detect-anomaly},
 * {@code get-runbook}, {@code list-runbooks}, {@code explain-incident}, {@code plan-runbook}. Executor tools change:
 * {@code restart-container}, {@code scale-service}, {@code update-env-vars}, {@code rollback-deployment} and
 * {@code execute-runbook}. Every call runs on the server's one {@link RunbookEngine} (built and compiled once, when
 * the server is built; closed by {@link #close()}), exactly as an in-process remediation would: the four action tools
 * as a one-step runbook with the Docker safety profile ({@link DockerSafety}: rate limits, spacing, replica bounds,
 * env whitelist) plus a dry run first and a blast radius limit; {@code execute-runbook} with the library runbook that
 * matches. The guard store and the {@linkplain #killSwitch() kill switch} are shared by every call of every client,
 * so limits hold across tools, runbooks and clients, and an engaged kill switch refuses them all. A refusal is a tool
 * result with {@code isError} set and {@code refused_by: {guard, reason}}, not a protocol error. Every mutating call
 * needs approval, given as the {@link MutationPolicy} says; the approver is recorded in the execution, and the
 * executor is {@code mcp:<client name>}.
 *
 * <p>Every other action of the server's providers (the Kubernetes actions of runbook-k8s, {@code check_neo4j} of
 * runbook-neo4j, any host provider) is a tool of its own name, with the action's parameters as its input schema
 * (plus {@code cluster} for the Kubernetes actions). Core's built-in actions (log, set, fail, assert, wait, ...)
 * stay runbook steps and are not tools: they act on nothing an agent needs. Such a call is a one-step runbook
 * on the engine as well: a mutating action with the tool safety, dry run first and approval; a read with no
 * limit, dry run nor approval, but still through the engine so that it is recorded in the recent executions.
 * {@code kill_switch} reads, engages and releases the kill switch (engaging and releasing need approval).
 *
 * <p>Resources: {@code runbook://library}, {@code runbook://runbooks/{id}} and {@code runbook://executions/recent}.
 * Both transports negotiate the protocol version as the MCP lifecycle says: the client's when the server speaks it
 * (2024-11-05, 2025-03-26, 2025-06-18, 2025-11-25), else the latest.
 */
public final class RunbookMcpServer implements AutoCloseable {
    /** The executor tools backed by one Docker action each. */
    public static final List<String> ACTION_TOOLS = Tools.DOCKER_TOOLS;
    /** The root cause reason of the incident an action tool call is handled as. */
    public static final String TOOL_CALL_REASON = ActionCalls.TOOL_CALL_REASON;
    /** The protocol versions both transports speak, oldest first; an unknown version is answered with the last. */
    public static final List<String> PROTOCOL_VERSIONS = StdioTransport.VERSIONS;

    private final EngineWiring wiring;
    private final Tools tools;
    private final Resources resources;
    private final String version;
    /** The MCP servers started by serveStdio/serveHttp, closed with the server. */
    private final List<McpSyncServer> served = new CopyOnWriteArrayList<>();

    private RunbookMcpServer(Builder b) {
        var reserved = new HashSet<>(Tools.FIXED_TOOLS);
        reserved.addAll(Tools.DOCKER_TOOLS);
        this.wiring = new EngineWiring(b.library, b.docker, b.providers, b.discover, Set.copyOf(reserved),
                b.guards != null ? b.guards : new InMemoryGuardStore(), b.clock, b.policy,
                Optional.ofNullable(b.approver), b.recentCapacity);
        var calls = new ActionCalls(wiring, b.toolSafety, Optional.ofNullable(b.lookup), b.clock);
        var library = new LibraryCalls(wiring, b.monitor, b.sources);
        this.tools = new Tools(wiring, b.docker, calls, library, new KillSwitchTool(wiring.killSwitch(), wiring.approvals()));
        this.resources = new Resources(wiring, library);
        this.version = b.version;
    }

    /** A builder; {@link Builder#dockerActions} and {@link Builder#monitor} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The actions served as tools of their own name, besides the Docker executor tools. */
    public List<String> actionTools() {
        return wiring.actionTools().stream().map(a -> a.name()).toList();
    }

    /**
     * The kill switch of the server's engine: engaged (by the operator here, or by a client through the
     * {@code kill_switch} tool), it refuses every new execution of every tool call and runbook, whichever client
     * asks, until released. Monitor reads of containers ({@code get-container-metrics}, {@code get-container-logs},
     * {@code detect-anomaly}) still answer: they do not run through the engine.
     */
    public KillSwitch killSwitch() {
        return wiring.killSwitch();
    }

    /** The JSON mapper the transports use (Jackson 2). */
    public McpJsonMapper jsonMapper() {
        return Results.mapper();
    }

    /** The runbook library. */
    public List<Runbook> runbooks() {
        return wiring.library();
    }

    /** The latest executions this server ran, newest first. */
    public List<Execution> recentExecutions() {
        return wiring.recent();
    }

    /**
     * Serves MCP over these streams (stdin and stdout for a client that launched the server), answering the client's
     * protocol version when it is one of {@link #PROTOCOL_VERSIONS}, else the latest.
     */
    public McpSyncServer serveStdio(InputStream in, OutputStream out) {
        McpSyncServer s = configure(McpServer.sync(new StdioTransport(Results.mapper(), in, out)));
        served.add(s);
        return s;
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

    /** Every tool, monitor tools first. */
    public List<SyncToolSpecification> tools() {
        return tools.all();
    }

    /** {@code runbook://library} and {@code runbook://executions/recent}, plus one resource per runbook. */
    public List<SyncResourceSpecification> resources() {
        return resources.all();
    }

    /** {@code runbook://runbooks/{id}}. */
    public List<SyncResourceTemplateSpecification> resourceTemplates() {
        return resources.templates();
    }

    /**
     * Stops the stdio servers it started, then closes the engine (running executions finish, or are cancelled and
     * roll back, see {@link RunbookEngine#close()}) and the providers the server discovered itself; configured
     * providers belong to the host. An HTTP server is closed by its own {@link McpHttpServer#close()}.
     */
    @Override
    public void close() {
        served.forEach(McpSyncServer::close);
        wiring.close();
    }

    /** A copy of the safety with {@code require_approval} on and every other field kept. */
    static Safety requiringApproval(Safety s) {
        return EngineWiring.requiringApproval(s);
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
         * with the same id that ServiceLoader finds (the rules are {@code ActionRegistry}'s). The host closes it.
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
