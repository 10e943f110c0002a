package dev.runbook.mcp;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ParamConversions;
import dev.runbook.core.model.Safety;
import dev.runbook.docker.ContainerMonitor;
import dev.runbook.docker.DockerActions;
import dev.runbook.docker.DockerClients;
import dev.runbook.docker.DockerSafety;
import dev.runbook.dsl.LoadResult;
import dev.runbook.k8s.KubernetesClients;
import dev.runbook.dsl.LoadedRunbook;
import dev.runbook.dsl.RunbookLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar runbook-mcp-all.jar [options]}: serves the runbook engine over MCP on stdio, or over streamable
 * HTTP on 127.0.0.1 with {@code --http-port}. Logs go to stderr: stdout is the stdio transport's channel.
 */
@Command(name = "runbook-mcp", mixinStandardHelpOptions = true, version = "runbook-mcp 0.1.0",
        description = "Serves Runbook's guarded remediation engine to MCP clients (stdio by default).")
public final class RunbookMcpMain implements Callable<Integer> {
    /** The runbooks bundled in the jar (seed 002), used when --runbooks is not given. */
    static final List<String> BUNDLED = List.of("memory-spike.md", "cpu-overload.md", "high-error-rate.md");
    /** The environment variable that gives the HTTP bearer token (a flag would show it in the process list). */
    static final String TOKEN_ENV = "RUNBOOK_MCP_TOKEN";

    @Option(names = "--runbooks", paramLabel = "DIR", description = "load runbooks (YAML, Markdown) from this folder "
            + "instead of the bundled seed 002 runbooks")
    Path runbooks;

    @Option(names = "--http-port", paramLabel = "PORT", description = "serve streamable HTTP on 127.0.0.1:PORT/mcp "
            + "instead of stdio (0: any free port, printed on stderr)")
    Integer httpPort;

    @Option(names = "--http-token-file", paramLabel = "FILE", description = "over HTTP, write the bearer token "
            + "generated at start to this file, readable by you only (default: ~/.runbook/mcp-http-<port>.token); "
            + "to give the token yourself, set $" + TOKEN_ENV + " instead")
    Path httpTokenFile;

    @Option(names = "--http-no-auth", description = "over HTTP, accept requests without the bearer token: any local "
            + "process can then call every tool, the mutating ones included")
    boolean httpNoAuth;

    @Option(names = "--docker-host", paramLabel = "URL", description = "the Docker-compatible engine "
            + "(default: $DOCKER_HOST, else unix:///var/run/docker.sock)")
    String dockerHost;

    @Option(names = "--kube-context", paramLabel = "NAME", description = "the kubeconfig context of the Kubernetes "
            + "tools (sets the system property runbook.k8s.context; default: $RUNBOOK_K8S_CONTEXT, else the current "
            + "context)")
    String kubeContext;

    @Option(names = "--neo4j-uri", paramLabel = "URI", description = "the Neo4j of check_neo4j, e.g. "
            + "bolt://localhost:7687 (sets runbook.neo4j.uri; default: $RUNBOOK_NEO4J_URI)")
    String neo4jUri;

    @Option(names = "--neo4j-user", paramLabel = "USER", description = "Neo4j user (sets runbook.neo4j.user)")
    String neo4jUser;

    @Option(names = "--neo4j-password", paramLabel = "PASSWORD", description = "Neo4j password (sets "
            + "runbook.neo4j.password; prefer $RUNBOOK_NEO4J_PASSWORD, a flag shows in the process list)")
    String neo4jPassword;

    @Option(names = "--neo4j-database", paramLabel = "NAME", description = "Neo4j database (sets "
            + "runbook.neo4j.database; default: the server's default)")
    String neo4jDatabase;

    @Option(names = "--allow-mutations", description = "approve executor tools without asking, in the client's name "
            + "(or --approver's); every other guard still applies")
    boolean allowMutations;

    @Option(names = "--approval", paramLabel = "POLICY", description = "ask (default: ask the client's user through "
            + "elicitation), allow (same as --allow-mutations) or deny (refuse every mutating call)")
    String approval;

    @Option(names = "--approver", paramLabel = "NAME", description = "the approver recorded for approved calls "
            + "(default: mcp-client:<the client's name from its initialize request>)")
    String approver;

    @Option(names = "--env-whitelist", split = ",", paramLabel = "KEY", description = "variables update-env-vars may "
            + "change (default: LOG_LEVEL)")
    List<String> envWhitelist = List.of("LOG_LEVEL");

    @Option(names = "--min-action-spacing", paramLabel = "DURATION", description = "least time between two changes "
            + "(default 5s, seed 002), e.g. 0s, 500ms, 10s")
    String minActionSpacing;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "monitor only containers with this label "
            + "(repeatable)")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--memory-percent", description = "MEMORY_SPIKE threshold (default 80)")
    double memoryPercent = 80;

    @Option(names = "--cpu-percent", description = "CPU_OVERLOAD threshold, percent of one core (default 90)")
    double cpuPercent = 90;

    @Option(names = "--error-rate-percent", description = "HIGH_ERROR_RATE threshold (default 5)")
    double errorRatePercent = 5;

    private final PrintWriter err;

    RunbookMcpMain(PrintWriter err) {
        this.err = err;
    }

    /** Runs the server until the process is stopped; exit code 2 for a usage or runbook error. */
    public static void main(String[] args) {
        var err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        var cmd = new CommandLine(new RunbookMcpMain(err)).setErr(err);
        int code = cmd.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        MutationPolicy policy;
        try {
            policy = policy();
        } catch (IllegalArgumentException e) {
            err.println("runbook-mcp: " + e.getMessage());
            return 2;
        }
        // before any provider is created: KubernetesActions and Neo4jActions read them when ServiceLoader makes them
        connectionProperties().forEach(System::setProperty);
        Safety.Builder safety = DockerSafety.builder().dryRunFirst(true).blastRadiusLimit(5).envWhitelist(envWhitelist);
        if (minActionSpacing != null) {
            try {
                safety.minActionSpacing(ParamConversions.toDuration(minActionSpacing));
            } catch (IllegalArgumentException e) {
                err.println("runbook-mcp: --min-action-spacing " + minActionSpacing + ": " + e.getMessage()
                        + " (use 0s, 500ms, 5s, 1m)");
                return 2;
            }
        }
        String host = dockerHost != null ? dockerHost : DockerClients.hostFromEnvironment();
        var client = DockerClients.connect(host);
        DockerActions docker = DockerActions.builder().client(client, host).build();
        ContainerMonitor monitor = ContainerMonitor.builder().client(client, host).memoryPercent(memoryPercent)
                .cpuPercent(cpuPercent).errorRatePercent(errorRatePercent).labelFilter(labels).build();
        var builder = RunbookMcpServer.builder().dockerActions(docker).monitor(monitor).containerLookup(client)
                .mutationPolicy(policy).toolSafety(safety.build());
        if (approver != null) {
            builder.approver(approver);
        }
        // the providers on the classpath (built-ins, Kubernetes, Neo4j when present); the configured Docker one
        // replaces the discovered one (same id)
        var registry = ActionRegistry.builder().provider(docker).discover(RunbookMcpMain.class.getClassLoader());
        var loader = RunbookLoader.builder().actions(registry.build()).build();
        List<Loaded> loaded;
        try {
            loaded = load(loader);
        } catch (IllegalArgumentException e) {
            err.println("runbook-mcp: " + e.getMessage());
            return 2;
        }
        loaded.forEach(l -> builder.runbook(l.runbook().runbook(), l.source()));
        RunbookMcpServer server = builder.build();
        var stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "runbook-mcp-stop"));
        if (httpPort != null) {
            McpHttpOptions options;
            try {
                options = httpOptions(System.getenv(TOKEN_ENV));
            } catch (IllegalArgumentException e) {
                err.println("runbook-mcp: " + e.getMessage());
                server.close();
                return 2;
            }
            McpHttpServer http = server.serveHttp(options);
            err.println("runbook-mcp: serving MCP (streamable HTTP) at " + http.url() + " with " + loaded.size()
                    + " runbook(s), mutations: " + policy);
            err.println("runbook-mcp: " + (httpNoAuth ? "NO authentication (--http-no-auth): any local process can "
                    + "call every tool" : "clients must send 'Authorization: Bearer <token>'; the token is "
                    + http.tokenFile().map(f -> "in " + f + " (readable by you only; deleted when the server stops)")
                    .orElse("the one in $" + TOKEN_ENV)));
            stop.await();
            http.close();
            server.close();
        } else {
            err.println("runbook-mcp: serving MCP on stdio with " + loaded.size() + " runbook(s), mutations: " + policy);
            server.serveStdio(System.in, System.out);
            stop.await();
            server.close();
        }
        return 0;
    }

    /** The HTTP options of the flags, with the token of {@code $RUNBOOK_MCP_TOKEN} when it is set. */
    McpHttpOptions httpOptions(String tokenFromEnvironment) {
        McpHttpOptions o = McpHttpOptions.port(httpPort);
        boolean envToken = tokenFromEnvironment != null && !tokenFromEnvironment.isBlank();
        if (httpNoAuth) {
            if (envToken || httpTokenFile != null) {
                throw new IllegalArgumentException("--http-no-auth contradicts " + (envToken ? "$" + TOKEN_ENV
                        : "--http-token-file") + ": give one of them");
            }
            return o.withoutAuthentication();
        }
        if (envToken) {
            if (httpTokenFile != null) {
                throw new IllegalArgumentException("--http-token-file names where a generated token goes, but $"
                        + TOKEN_ENV + " gives the token: give one of them");
            }
            try {
                return o.token(tokenFromEnvironment.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("$" + TOKEN_ENV + ": " + e.getMessage());
            }
        }
        return httpTokenFile != null ? o.tokenFile(httpTokenFile) : o;
    }

    /** The system properties the connection flags set, read by runbook-k8s and runbook-neo4j's providers. */
    Map<String, String> connectionProperties() {
        var out = new LinkedHashMap<String, String>();
        if (kubeContext != null) {
            out.put(KubernetesClients.CONTEXT_PROPERTY, kubeContext);
        }
        if (neo4jUri != null) {
            out.put("runbook.neo4j.uri", neo4jUri);
        }
        if (neo4jUser != null) {
            out.put("runbook.neo4j.user", neo4jUser);
        }
        if (neo4jPassword != null) {
            out.put("runbook.neo4j.password", neo4jPassword);
        }
        if (neo4jDatabase != null) {
            out.put("runbook.neo4j.database", neo4jDatabase);
        }
        return out;
    }

    private MutationPolicy policy() {
        if (approval == null) {
            return allowMutations ? MutationPolicy.ALLOW : MutationPolicy.ASK_CLIENT;
        }
        MutationPolicy p = switch (approval) {
            case "ask" -> MutationPolicy.ASK_CLIENT;
            case "allow" -> MutationPolicy.ALLOW;
            case "deny" -> MutationPolicy.DENY;
            default -> throw new IllegalArgumentException("--approval " + approval + " is not a policy: use ask, allow or deny");
        };
        if (allowMutations && p != MutationPolicy.ALLOW) {
            throw new IllegalArgumentException("--allow-mutations contradicts --approval " + approval + ": give one of them");
        }
        return p;
    }

    record Loaded(LoadedRunbook runbook, String source) {
    }

    private List<Loaded> load(RunbookLoader loader) throws IOException {
        var out = new ArrayList<Loaded>();
        if (runbooks != null) {
            if (!Files.isDirectory(runbooks)) {
                throw new IllegalArgumentException("--runbooks " + runbooks + " is not a folder");
            }
            LoadResult r = loader.load(runbooks);
            check(r);
            for (LoadedRunbook l : r.runbooks()) {
                Path file = Path.of(l.file());
                out.add(new Loaded(l, Files.isRegularFile(file) ? Files.readString(file) : ""));
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("--runbooks " + runbooks + " holds no runbook (*.yaml, *.yml, *.md)");
            }
            return out;
        }
        for (String name : BUNDLED) {
            try (InputStream in = RunbookMcpMain.class.getResourceAsStream("/runbooks/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("bundled runbook " + name + " is missing from the jar");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                LoadResult r = loader.loadString(text, "bundled:" + name);
                check(r);
                r.runbooks().forEach(l -> out.add(new Loaded(l, text)));
            }
        }
        return out;
    }

    private void check(LoadResult r) {
        if (!r.ok()) {
            var sb = new StringBuilder("runbooks have problems:");
            r.diagnostics().forEach(d -> sb.append("\n  ").append(d));
            throw new IllegalArgumentException(sb.toString());
        }
    }
}
