package dev.runbook.examples;

import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.action.builtin.BuiltinActionsConfig;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.notify.SlackNotifier;
import dev.runbook.dashboard.DashboardFeed;
import dev.runbook.dashboard.DashboardServer;
import dev.runbook.examples.internal.AuditReport;
import dev.runbook.examples.internal.DemoBacktest;
import dev.runbook.examples.internal.DemoCluster;
import dev.runbook.examples.internal.IncidentTimeline;
import dev.runbook.examples.internal.MetricsReport;
import dev.runbook.micrometer.RunbookMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.runbook.docker.DockerActions;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.RunbookLoader;
import dev.runbook.examples.internal.RcaGraph;
import dev.runbook.examples.internal.WebhookReceiver;
import dev.runbook.k8s.KubernetesActions;
import dev.runbook.k8s.KubernetesClients;
import dev.runbook.k8s.KubernetesWaitConditions;
import dev.runbook.neo4j.AuditQueries;
import dev.runbook.neo4j.Neo4jActions;
import dev.runbook.neo4j.Neo4jAuditTrail;
import dev.runbook.neo4j.Neo4jIncidentLoader;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * The demo: a host that embeds the engine the way kg-builder does. By default everything is embedded: an in-process
 * Neo4j (neo4j-harness, over Bolt) holding the RCA graph, a Kubernetes API served by fabric8's mock server with a
 * simulated Deployment controller, and a Slack-style webhook receiver on loopback. It loads the starter runbooks
 * from YAML/Markdown, then takes three incidents through context loading, matching, guardrails, dry run,
 * execution, verification ({@code check_neo4j}), rollback and notification, records the audit trail in Neo4j and
 * queries it. {@code --kubeconfig/--context} and {@code --neo4j-uri/--neo4j-user/--neo4j-password} point the same
 * host at a real cluster and a real Neo4j instead.
 */
public final class Demo {
    static final String NAMESPACE_DEFAULT = "runbook-demo";
    private static final String RUNBOOKS_PROPERTY = "runbook.examples.runbooks";

    private final PrintStream out;
    private final Options options;
    private final long t0 = System.nanoTime();

    /**
     * The demo's command-line options.
     *
     * @param kubeconfig    a kubeconfig file: use that cluster instead of the mock
     * @param context       a kubeconfig context: use that cluster instead of the mock
     * @param namespace     where the demo's Deployments live on a real cluster
     * @param neo4jUri      a Bolt URI: use that Neo4j instead of the in-process one
     * @param neo4jUser     its user
     * @param neo4jPassword its password
     * @param runbooks      the folder of runbook files
     * @param serve         keep the dashboard serving for {@link #SERVE_FOR} after the story ({@code --serve})
     */
    public record Options(Optional<Path> kubeconfig, Optional<String> context, String namespace,
                          Optional<String> neo4jUri, String neo4jUser, String neo4jPassword, Path runbooks,
                          boolean serve) {
        /** How long {@code --serve} keeps the dashboard up after the story. */
        public static final Duration SERVE_FOR = Duration.ofMinutes(10);

        /** Whether Kubernetes is a real cluster. */
        public boolean realCluster() {
            return kubeconfig.isPresent() || context.isPresent();
        }

        /** Parses the flags; throws IllegalArgumentException with a message naming the bad flag. */
        public static Options parse(String... args) {
            Optional<Path> kubeconfig = Optional.empty();
            Optional<String> context = Optional.empty();
            Optional<String> uri = Optional.empty();
            String namespace = NAMESPACE_DEFAULT;
            String user = "neo4j";
            String password = "";
            Path runbooks = defaultRunbooks();
            boolean serve = false;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("-h") || flag.equals("--help")) {
                    throw new IllegalArgumentException(usage());
                }
                if (flag.equals("--serve")) { // the one flag without a value
                    serve = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("flag " + flag + " needs a value\n" + usage());
                }
                String value = args[++i];
                switch (flag) {
                    case "--kubeconfig" -> kubeconfig = Optional.of(Path.of(value));
                    case "--context" -> context = Optional.of(value);
                    case "--namespace" -> namespace = value;
                    case "--neo4j-uri" -> uri = Optional.of(value);
                    case "--neo4j-user" -> user = value;
                    case "--neo4j-password" -> password = value;
                    case "--runbooks" -> runbooks = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + usage());
                }
            }
            if (kubeconfig.isPresent() && !Files.isReadable(kubeconfig.get())) {
                throw new IllegalArgumentException("--kubeconfig " + kubeconfig.get() + ": no such readable file");
            }
            if (!Files.isDirectory(runbooks)) {
                throw new IllegalArgumentException("--runbooks " + runbooks + ": no such folder");
            }
            return new Options(kubeconfig, context, namespace, uri, user, password, runbooks, serve);
        }

        private static Path defaultRunbooks() {
            String property = System.getProperty(RUNBOOKS_PROPERTY);
            if (property != null) {
                return Path.of(property);
            }
            // from the repository root or from the examples module
            return Files.isDirectory(Path.of("examples/runbooks")) ? Path.of("examples/runbooks") : Path.of("runbooks");
        }

        static String usage() {
            return """
                    usage: Demo [--kubeconfig FILE] [--context NAME] [--namespace NS]
                                [--neo4j-uri bolt://HOST:7687] [--neo4j-user USER] [--neo4j-password PASSWORD]
                                [--runbooks DIR] [--serve]
                      --serve: keep the dashboard up for 10 minutes after the story
                      without flags: in-process Neo4j, mock Kubernetes API, loopback webhook receiver
                      via Maven: ./mvnw -B -q -Pdemo package -pl examples -am -Dexec.args="--context kind-dev\"""";
        }
    }

    /** A demo writing its timeline to {@code out}. */
    public Demo(PrintStream out, Options options) {
        this.out = out;
        this.options = options;
    }

    /** Runs the demo; exits non-zero when an incident did not end as expected or a flag is wrong. */
    public static void main(String[] args) throws Exception {
        // neo4j-harness brings its own SLF4J provider; the host picks slf4j-simple (set before any logger exists)
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
        }
        // the timeline is the demo's output; libraries only speak up when something is wrong
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // Neo4j's Bolt server sets a socket option Netty's in-process channel ignores, with a warning
        System.setProperty("org.slf4j.simpleLogger.log.io.netty",
                System.getProperty("org.slf4j.simpleLogger.log.io.netty", "error"));
        // the mock API server's event loop is reported as blocked when the machine is busy; harmless here
        System.setProperty("org.slf4j.simpleLogger.log.io.vertx",
                System.getProperty("org.slf4j.simpleLogger.log.io.vertx", "error"));
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code = new Demo(System.out, options).run();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the whole story; returns 0 when every incident ended as expected. */
    public int run() throws Exception {
        line("Runbook demo: the engine embedded in a host, the way kg-builder embeds it");
        // the in-process Neo4j takes seconds to start: start it while Kubernetes is set up
        CompletableFuture<Neo4j> starting = null;
        if (options.neo4jUri().isEmpty()) {
            line("Neo4j: starting in-process Neo4j (neo4j-harness) in the background ...");
            starting = CompletableFuture.supplyAsync(() -> Neo4jBuilders.newInProcessBuilder().withDisabledServer()
                    // close in a fraction of a second instead of about ten
                    .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
                    .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ZERO)
                    .build());
        }
        Neo4j embedded = null;
        DemoCluster cluster = new DemoCluster(this::line);
        try {
            if (options.realCluster()) {
                cluster.connect(options.kubeconfig(), options.context(), options.namespace());
            } else {
                cluster.startMock();
            }
            // The cluster: three Deployments, one pod each; on the mock their pods then show the failures
            String image = "registry.k8s.io/pause:3.10";
            Pod web = cluster.deploy("web", image);
            Pod api = cluster.deploy("api", image);
            Pod checkout = cluster.deploy("checkout", "registry.example.com/shop/checkout:2.1");
            if (!options.realCluster()) {
                cluster.crashLoopAfterOom(web);
                cluster.crashLoopAfterOom(api);
            }
            line("Cluster: Deployments web, api (memory limit 256Mi) and checkout in namespace " + cluster.namespace()
                    + "; pods " + web.getMetadata().getName() + ", " + api.getMetadata().getName() + ", "
                    + checkout.getMetadata().getName());

            Driver driver;
            if (starting == null) {
                driver = GraphDatabase.driver(options.neo4jUri().get(),
                        AuthTokens.basic(options.neo4jUser(), options.neo4jPassword()));
                driver.verifyConnectivity();
                line("Neo4j: " + options.neo4jUri().get());
            } else {
                embedded = starting.join();
                driver = GraphDatabase.driver(embedded.boltURI(), AuthTokens.none());
                line("Neo4j: in-process, Bolt at " + embedded.boltURI());
            }
            try (driver; WebhookReceiver receiver = new WebhookReceiver(body -> line("  receiver got " + body))) {
                line("Notifications: Slack-style webhook receiver at " + receiver.url());
                int surprises = story(driver, cluster, receiver, web, api, checkout);
                line("");
                line(surprises == 0 ? "Demo finished: every incident ended as expected."
                        : "Demo finished with " + surprises + " surprise(s).");
                return surprises == 0 ? 0 : 1;
            }
        } finally {
            cluster.close();
            if (embedded == null && starting != null) {
                embedded = starting.exceptionally(e -> null).join();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private int story(Driver driver, DemoCluster cluster, WebhookReceiver receiver, Pod web, Pod api, Pod checkout)
            throws Exception {
        // The RCA graph kg-builder would have written (ids get a run suffix on a shared, real Neo4j)
        String run = options.neo4jUri().isPresent() ? "-" + UUID.randomUUID().toString().substring(0, 8) : "";
        Instant now = Instant.now();
        String ns = cluster.namespace();
        var graph = new RcaGraph(driver);
        String webId = "evt-web-crashloop" + run;
        String checkoutId = "evt-checkout-errimagepull" + run;
        String apiId = "evt-api-crashloop" + run;
        graph.finding(webId, "CrashLoopBackOff", "OOMKilled", 0.92, ns, web.getMetadata().getName(),
                DemoCluster.owner(web), "web", now.minus(Duration.ofMinutes(4)));
        graph.finding(checkoutId, "ErrImagePull", "ImagePullBackOff", 0.60, ns, checkout.getMetadata().getName(),
                DemoCluster.owner(checkout), "checkout", now.minus(Duration.ofMinutes(3)));
        graph.finding(apiId, "CrashLoopBackOff", "OOMKilled", 0.88, ns, api.getMetadata().getName(),
                DemoCluster.owner(api), "api", now.minus(Duration.ofMinutes(10)));
        line("RCA graph: " + webId + " (OOMKilled 0.92), " + checkoutId + " (ImagePullBackOff 0.60), "
                + apiId + " (OOMKilled 0.88)");

        // The runbooks, from files
        KubernetesClients clients = KubernetesClients.of(cluster.client());
        List<ActionProvider> providers = List.of(
                new BuiltinActions(BuiltinActionsConfig.custom()
                        .waitConditionProvider(new KubernetesWaitConditions(clients)).build()),
                new KubernetesActions(clients),
                new Neo4jActions(driver),
                new DockerActions());      // for the seed 002 runbooks; connects only if one of them runs
        var registry = ActionRegistry.builder();
        providers.forEach(registry::provider);
        LoadResult loaded = RunbookLoader.builder().actions(registry.build()).build().load(options.runbooks());
        if (!loaded.ok()) {
            loaded.diagnostics().forEach(d -> line("runbook problem: " + d));
            return 1;
        }
        List<Runbook> runbooks = loaded.runbooksOrThrow();
        line("Runbooks: " + runbooks.size() + " loaded from " + options.runbooks() + ": "
                + runbooks.stream().map(Runbook::id).collect(Collectors.joining(", ")));

        var loader = Neo4jIncidentLoader.builder().driver(driver).build();
        int surprises = 0;
        var feed = DashboardFeed.create();
        var metrics = new SimpleMeterRegistry();
        var incidents = new IncidentTimeline(this::line, graph, apiId);
        var engineBuilder = RunbookEngine.builder().discoverActions(false).runbooks(runbooks)
                .notifier(new SlackNotifier(receiver.url()))
                .parameter("registry_config", "{\"auths\":{}}")
                .executedBy("demo-host")
                .listener(incidents)
                .listener(feed)
                .listener(RunbookMetrics.of(metrics));
        providers.forEach(engineBuilder::actionProvider);
        try (Neo4jAuditTrail audit = Neo4jAuditTrail.builder().driver(driver).build();
             RunbookEngine engine = engineBuilder.listener(audit).build();
             DashboardServer dashboard = DashboardServer.builder().engine(engine).feed(feed)
                     .auditQueries(new AuditQueries(driver)).bind("127.0.0.1", 0).build()) {
            line("Dashboard: " + dashboard.url());
            surprises += expect(incidents.handle(engine, loader, webId), ExecutionStatus.SUCCEEDED);
            surprises += expect(incidents.handle(engine, loader, checkoutId), ExecutionStatus.DENIED);
            surprises += expect(incidents.handle(engine, loader, apiId), ExecutionStatus.ROLLED_BACK);

            line("");
            line("Cluster now: web memory limit " + cluster.memory("web") + " (was 256Mi), api "
                    + cluster.memory("api") + " (restored by the rollback)");
            line("Receiver got " + receiver.bodies().size() + " notification(s)");
            line("Metrics (runbook-micrometer):");
            MetricsReport.lines(metrics).forEach(this::line);
            line("Audit trail: flushing to Neo4j ...");
            audit.flush(Duration.ofSeconds(30));
            if (options.serve()) {
                line("Dashboard: serving at " + dashboard.url() + " for " + Options.SERVE_FOR.toMinutes()
                        + " minutes (Ctrl-C stops it)");
                Thread.sleep(Options.SERVE_FOR.toMillis());
            }
        }
        new AuditReport(this::line).print(driver, List.of(webId, checkoutId, apiId));
        surprises += new DemoBacktest(this::line).show(driver, runbooks, providers,
                Map.of("registry_config", "{\"auths\":{}}"), now.minus(Duration.ofHours(1)),
                List.of(apiId, webId, checkoutId));
        return surprises;
    }

    private static int expect(Execution e, ExecutionStatus expected) {
        return e.status() == expected ? 0 : 1;
    }

    private synchronized void line(String text) {
        double secs = (System.nanoTime() - t0) / 1e9;
        out.println(text.isEmpty() ? "" : String.format(Locale.ROOT, "[%6.3fs] %s", secs, text));
    }
}
