package dev.runbook.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.action.builtin.BuiltinActionsConfig;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.notify.SlackNotifier;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.RunbookLoader;
import dev.runbook.k8s.testing.CheckNeo4jStandIn;
import dev.runbook.k8s.testing.Fixtures;
import dev.runbook.k8s.testing.SimulatedController;
import dev.runbook.k8s.testing.StandInDispatcher;
import dev.runbook.k8s.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's three runbooks end to end through {@link RunbookEngine}, loaded by {@link RunbookLoader} from their YAML
 * in {@code src/test/resources/seed/} (the seed's text; the few changes an author needs are commented in the files):
 * dry run first (every write sent with {@code dryRun=All}, nothing changed), then the real run, and rollback
 * restoring the original object when a step fails. The OOMKilled runbook's {@code check_neo4j} verification runs on
 * {@link CheckNeo4jStandIn}, a test stand-in for runbook-neo4j's action whose answer the test sets. Against the mock by default, with {@link SimulatedController} playing the Deployment controller; against a
 * real cluster under {@code -Preal-cluster}. On the mock, the strategic merge and dry-run semantics are the
 * {@link StandInDispatcher}'s (the requests themselves are asserted in {@link RequestAssertionTest}).
 */
class SeedRunbooksEndToEndTest {
    private TestCluster cluster;
    private SimulatedController controller;
    private final TestClock clock = new TestClock();
    private final CheckNeo4jStandIn neo4j = new CheckNeo4jStandIn();
    private final List<String> slackMessages = new CopyOnWriteArrayList<>();
    private HttpServer slack;
    private String ns;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start();
        ns = cluster.namespace();
        if (!TestCluster.real()) {
            controller = new SimulatedController(cluster.client(), ns);
        }
        // the seed's notifications go to a Slack incoming webhook: a real HTTP server on loopback records them
        slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slack.createContext("/services/T0/B0", ex -> {
            slackMessages.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, 2);
            ex.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            ex.close();
        });
        slack.start();
    }

    @AfterEach
    void stop() {
        slack.stop(0);
        if (controller != null) {
            controller.close();
        }
        cluster.close();
    }

    /** The actions of the engine and of the loader's checks: core's built-ins, this module's, the check_neo4j stand-in. */
    private record Actions(BuiltinActions builtins, KubernetesActions kubernetes, CheckNeo4jStandIn neo4j) {
        ActionRegistry registry() {
            return ActionRegistry.builder().provider(builtins).provider(kubernetes).provider(neo4j).build();
        }
    }

    private Actions actions(String... allowedHosts) {
        KubernetesClients clients = KubernetesClients.of(cluster.client());
        var builtins = BuiltinActionsConfig.custom().waitConditionProvider(new KubernetesWaitConditions(clients));
        for (String h : allowedHosts) {
            builtins.allowWebhookHost(h);
        }
        return new Actions(new BuiltinActions(builtins.build()), new KubernetesActions(clients), neo4j);
    }

    /**
     * Loads {@code seed/FILE} with the loader's full validation against these actions, after the test-only text
     * {@code edits} (each must occur in the file: a stale edit fails the test rather than silently testing the seed).
     */
    private static Runbook load(String file, Actions actions, Map<String, String> edits) throws IOException {
        String text;
        try (InputStream in = SeedRunbooksEndToEndTest.class.getResourceAsStream("/seed/" + file)) {
            assertThat(in).as("seed/" + file).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (var e : edits.entrySet()) {
            assertThat(text).as("seed/%s must contain the edited text", file).contains(e.getKey());
            text = text.replace(e.getKey(), e.getValue());
        }
        LoadResult loaded = RunbookLoader.builder().actions(actions.registry()).build().loadString(text, "seed/" + file);
        assertThat(loaded.diagnostics()).as("problems loading seed/%s", file).isEmpty();
        return loaded.runbooks().get(0).runbook();
    }

    private RunbookEngine engine(Runbook runbook, Actions actions) {
        URI slackUrl = URI.create("http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T0/B0");
        return RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(clock::advance).runbook(runbook)
                .actionProvider(actions.builtins()).actionProvider(actions.kubernetes()).actionProvider(actions.neo4j())
                .notifier(new SlackNotifier(slackUrl))
                .approvalGateway(ApprovalGateway.approveAll("oncall", clock))
                .parameter("registry_config", "{\"auths\":{}}").build();
    }

    private RunbookEngine oomEngine(Map<String, String> edits) throws IOException {
        Actions actions = actions();
        return engine(load("oomkilled-increase-memory.yaml", actions, edits), actions);
    }

    private Pod firstPod() throws Exception {
        return cluster.client().pods().inNamespace(ns).withLabel("app", "web")
                .informOnCondition(l -> l.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null))
                .get(30, TimeUnit.SECONDS).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .findFirst().orElseThrow();
    }

    private Incident oomIncident(Pod pod) {
        return Incident.builder("event-oom-1").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.92)
                .resource(new ResourceRef("Pod", pod.getMetadata().getName(), ns, Optional.empty(), Optional.of("web"),
                        Optional.of("app")))
                // the seed's check_neo4j query compares with $incident_time
                .eventTime(Instant.parse("2025-01-15T10:30:00Z")).build();
    }

    private Container container(String name) {
        Deployment d = cluster.client().apps().deployments().inNamespace(ns).withName("web").get();
        return d.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals(name))
                .findFirst().orElseThrow();
    }

    private static long bytes(Quantity q) {
        return Quantity.getAmountInBytes(q).longValueExact();
    }

    @Test
    void oomKilledDoublesTheMemoryLimitAfterADryRunKeepingTheOtherFields() throws Exception {
        Fixtures.createWeb(cluster.client(), ns);
        Pod pod = firstPod();
        neo4j.newFailures = 0;
        try (RunbookEngine engine = oomEngine(Map.of())) {
            Execution e = engine.handle(oomIncident(pod));

            assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.dryRunSteps()).extracting(StepResult::name).contains("Update Deployment memory limit");
            assertThat(e.dryRunSteps().get(2).summary())
                    .isEqualTo("dry run: would have patched Deployment " + ns + "/web: memory 256Mi -> 536870912");
            assertThat(e.actionsTaken()).singleElement().asString().startsWith("patched Deployment " + ns + "/web: memory 256Mi -> ");
        }
        // the verification query reached check_neo4j as the YAML block wrote it, in the dry run (read actions run
        // there) and in the real run
        assertThat(neo4j.queries).extracting(CheckNeo4jStandIn.Query::dryRun).containsExactly(true, false);
        assertThat(neo4j.queries).allSatisfy(q -> {
            assertThat(q.incidentId()).isEqualTo("event-oom-1");
            assertThat(q.text()).startsWith("MATCH (e:Episodic {eid: $incident_id})\n")
                    .endsWith("RETURN count(new_incident) AS new_failures\n");
        });
        assertThat(slackMessages).singleElement().asString().contains("Auto-remediated OOMKilled incident")
                .contains("Pod: " + pod.getMetadata().getName()).contains("Increased memory 256Mi \u2192 536870912");
        Container app = container("app");
        assertThat(bytes(app.getResources().getLimits().get("memory"))).isEqualTo(512L * 1024 * 1024);
        assertThat(bytes(app.getResources().getRequests().get("memory"))).isEqualTo(128L * 1024 * 1024);
        assertThat(app.getImage()).isEqualTo("registry.example.com/web:1.4.2");
        assertThat(app.getEnv()).singleElement().satisfies(env -> assertThat(env.getValue()).isEqualTo("prod"));
        assertThat(container("sidecar").getImage()).isEqualTo("registry.example.com/proxy:2.0");
        cluster.dispatcher().ifPresent(d -> assertThat(d.requests.stream()
                .filter(r -> r.method().equals("PATCH") && r.contentType().startsWith("application/strategic-merge-patch+json")))
                .extracting(StandInDispatcher.Recorded::dryRun).containsExactly(true, false));
    }

    @Test
    void oomKilledRollsBackToTheOriginalObjectWhenTheNewPodsNeverBecomeReady() throws Exception {
        assumeTrue(!TestCluster.real(), "needs the simulated controller to make pods fail");
        Fixtures.createWeb(cluster.client(), ns);
        Pod pod = firstPod();
        controller.healthy = false;
        // the wait blocks on an informer in real time: the test waits 2 s, not the seed's 5 minutes
        try (RunbookEngine engine = oomEngine(Map.of("timeout: 300  # 5 minutes", "timeout: 2"))) {
            Execution e = engine.handle(oomIncident(pod));

            assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(e.error().orElseThrow()).contains("Wait for pod to restart");
            assertThat(e.actionsTaken()).hasSize(2);
            assertThat(e.actionsTaken().get(1)).startsWith("rollback: patched Deployment " + ns + "/web: memory ")
                    .endsWith("-> 256Mi");
        }
        Container app = container("app");
        assertThat(bytes(app.getResources().getLimits().get("memory"))).isEqualTo(256L * 1024 * 1024);
        assertThat(app.getImage()).isEqualTo("registry.example.com/web:1.4.2");
        assertThat(app.getEnv()).hasSize(1);
        assertThat(container("sidecar")).isNotNull();
        assertThat(neo4j.queries).as("the verification ran in the dry run only")
                .extracting(CheckNeo4jStandIn.Query::dryRun).containsExactly(true);
        assertThat(slackMessages).singleElement().asString().contains("Runbook failed for OOMKilled incident");
    }

    @Test
    void oomKilledRollsBackToTheOriginalObjectWhenTheVerificationFindsNewFailures() throws Exception {
        Fixtures.createWeb(cluster.client(), ns);
        Pod pod = firstPod();
        neo4j.newFailures = 2;
        try (RunbookEngine engine = oomEngine(Map.of())) {
            Execution e = engine.handle(oomIncident(pod));

            assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(e.error().orElseThrow()).contains("Verify incident resolved");
            assertThat(e.steps()).extracting(StepResult::name).containsExactly("Get current memory limit",
                    "Calculate new memory limit", "Update Deployment memory limit", "Wait for pod to restart",
                    "Verify incident resolved");
            assertThat(e.rollbackSteps()).extracting(StepResult::name).containsExactly("Revert memory change");
            assertThat(e.actionsTaken()).hasSize(2);
            assertThat(e.actionsTaken().get(0)).startsWith("patched Deployment " + ns + "/web: memory 256Mi -> ");
            assertThat(e.actionsTaken().get(1)).startsWith("rollback: patched Deployment " + ns + "/web: memory ")
                    .endsWith("-> 256Mi");
        }
        Container app = container("app");
        assertThat(bytes(app.getResources().getLimits().get("memory"))).isEqualTo(256L * 1024 * 1024);
        assertThat(bytes(app.getResources().getRequests().get("memory"))).isEqualTo(128L * 1024 * 1024);
        assertThat(app.getImage()).isEqualTo("registry.example.com/web:1.4.2");
        assertThat(app.getEnv()).singleElement().satisfies(env -> assertThat(env.getValue()).isEqualTo("prod"));
        assertThat(container("sidecar").getImage()).isEqualTo("registry.example.com/proxy:2.0");
        assertThat(slackMessages).singleElement().asString().contains("Runbook failed for OOMKilled incident");
    }

    @Test
    void imagePullBackOffRecreatesTheSecretAndRestartsTheDeployment() throws Exception {
        Fixtures.createWeb(cluster.client(), ns);
        Pod pod = firstPod();
        cluster.client().secrets().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("regcred").endMetadata().withType("kubernetes.io/dockerconfigjson")
                .addToData(".dockerconfigjson", Base64.getEncoder().encodeToString("{\"auths\":{\"old\":{}}}".getBytes(
                        StandardCharsets.UTF_8))).build()).create();
        Incident incident = Incident.builder("event-pull-1").symptomReason("ImagePullBackOff").rootCause("ImagePullBackOff", 0.9)
                .resource(new ResourceRef("Pod", pod.getMetadata().getName(), ns, Optional.empty(), Optional.of("web"),
                        Optional.of("app"))).build();
        Actions actions = actions();
        try (RunbookEngine engine = engine(load("imagepullbackoff-fix-auth.yaml", actions, Map.of()), actions)) {
            Execution e = engine.handle(incident);

            assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.dryRunSteps()).extracting(StepResult::name).containsExactly("Check if secret exists",
                    "Recreate secret", "Restart pods");
            assertThat(String.join("\n", e.actionsTaken())).doesNotContain("auths").contains("(values redacted)");
        }
        String data = cluster.client().secrets().inNamespace(ns).withName("regcred").get().getData().get(".dockerconfigjson");
        assertThat(new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8)).isEqualTo("{\"auths\":{}}");
        assertThat(cluster.client().apps().deployments().inNamespace(ns).withName("web").get().getSpec().getTemplate()
                .getMetadata().getAnnotations()).containsKey("kubectl.kubernetes.io/restartedAt");
    }

    @Test
    void nodeNotReadyCordonsDrainsAndCallsTheCloudApi() throws Exception {
        assumeTrue(!TestCluster.real(), "draining a real node needs a disposable cluster");
        List<String> calls = new CopyOnWriteArrayList<>();
        HttpServer cloud = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cloud.createContext("/replace-node", ex -> {
            calls.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(202, -1);
            ex.close();
        });
        cloud.start();
        try {
            Fixtures.node(cluster.client(), "node-1", false);
            Fixtures.createWeb(cluster.client(), ns);
            Pod web = firstPod();
            Fixtures.podOnNode(cluster.client(), ns, "log-agent", "node-1", "DaemonSet", false);
            Fixtures.podOnNode(cluster.client(), ns, "static-etcd", "node-1", null, true);
            Incident incident = Incident.builder("event-node-1").symptomReason("NodeNotReady").rootCause("NodeNotReady", 0.95)
                    .resource(ResourceRef.of("Node", "", "node-1")).cluster("").build();
            Actions actions = actions("127.0.0.1");
            // the cloud API is a real HTTP server on loopback instead of the seed's example host
            Runbook runbook = load("nodenotready-cordon-drain.yaml", actions, Map.of("https://cloud-api.example.com/replace-node",
                    "http://127.0.0.1:" + cloud.getAddress().getPort() + "/replace-node"));
            try (RunbookEngine engine = engine(runbook, actions)) {
                Execution e = engine.handle(incident);

                assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
                assertThat(e.dryRunSteps().get(1).summary()).isEqualTo("dry run: would have drained Node node-1: evicted 1 pod(s), "
                        + "skipped 2");
            }
            assertThat(cluster.client().nodes().withName("node-1").get().getSpec().getUnschedulable()).isTrue();
            assertThat(cluster.client().pods().inNamespace(ns).withName(web.getMetadata().getName()).get()).isNull();
            assertThat(cluster.client().pods().inNamespace(ns).withName("log-agent").get()).isNotNull();
            assertThat(cluster.client().pods().inNamespace(ns).withName("static-etcd").get()).isNotNull();
            assertThat(calls).singleElement().asString().contains("\"node_name\":\"node-1\"");
        } finally {
            cloud.stop(0);
        }
    }
}
