package dev.runbook.mcp;

import static dev.runbook.mcp.McpTestSupport.call;
import static dev.runbook.mcp.McpTestSupport.list;
import static dev.runbook.mcp.McpTestSupport.map;
import static dev.runbook.mcp.McpTestSupport.ok;
import static dev.runbook.mcp.McpTestSupport.refused;
import static dev.runbook.mcp.McpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.docker.ContainerMonitor;
import dev.runbook.docker.DockerActions;
import dev.runbook.docker.DockerClients;
import dev.runbook.docker.DockerSafety;
import dev.runbook.k8s.KubernetesActions;
import dev.runbook.k8s.KubernetesClients;
import dev.runbook.neo4j.Neo4jActions;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * The Kubernetes and Neo4j actions as tools, over streamable HTTP on a real loopback port with the SDK's client:
 * Kubernetes on fabric8's mock server in CRUD mode, Neo4j in process (neo4j-harness, real Bolt). Every call runs
 * as a one-step runbook in the engine, with the tool safety (replicas 1..5) and approval asked by elicitation.
 *
 * <p>Proven only against the CRUD mock: the objects read and the resulting objects after a permitted change. The
 * CRUD mock ignores {@code dryRun=All} (it would persist a dry run's change), so where a change is refused after its
 * dry run an expectation stands in for the API server's dry run: {@code PATCH ...?dryRun=All} answers the live
 * object and stores nothing (runbook-k8s's request tests prove the parameter is sent on every write of a dry run).
 */
@EnableKubernetesMockClient(crud = true)
class McpKubernetesNeo4jTest {
    static KubernetesClient k8s;
    static KubernetesMockServer mockServer;
    private static Neo4j neo4j;
    private static Driver driver;

    private final AtomicBoolean approve = new AtomicBoolean();
    private final List<String> asked = new ArrayList<>();
    private RunbookMcpServer server;
    private McpHttpServer http;
    private McpSyncClient client;

    @BeforeAll
    static void neo4j() {
        neo4j = Neo4jBuilders.newInProcessBuilder().withDisabledServer()
                .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
                .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ZERO)
                .build();
        driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
        driver.executableQuery("CREATE (:Episodic {eid: 'e-1', reason: 'OOMKilled'})").execute();
    }

    @AfterAll
    static void closeNeo4j() {
        driver.close();
        neo4j.close();
    }

    @BeforeEach
    void start() {
        // no Docker engine is needed here: the Docker tools are listed but not called, the client connects lazily
        var docker = DockerClients.connect("unix:///nonexistent/runbook-mcp-test.sock");
        server = RunbookMcpServer.builder()
                .dockerActions(DockerActions.builder().client(docker, "unix:///nonexistent").build())
                .monitor(ContainerMonitor.builder().client(docker, "unix:///nonexistent").build())
                .actionProvider(new KubernetesActions(KubernetesClients.of(k8s)))
                .actionProvider(new Neo4jActions(driver))
                .guardStore(new InMemoryGuardStore()).mutationPolicy(MutationPolicy.ASK_CLIENT)
                .toolSafety(DockerSafety.builder().dryRunFirst(true).blastRadiusLimit(5).minActionSpacing(Duration.ZERO)
                        .build())
                .build();
        http = McpTestSupport.serveHttp(server);
        var transport = McpTestSupport.transport(http);
        client = McpClient.sync(transport).requestTimeout(McpTestSupport.TIMEOUT)
                .clientInfo(new McpSchema.Implementation("k8s-agent", "1.0"))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(req -> {
                    asked.add(req.message());
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", approve.get()));
                }).build();
        client.initialize();
    }

    @AfterEach
    void stop() {
        client.closeGracefully();
        http.close();
        server.close();
    }

    private static void deployment(String name, int replicas, String memoryLimit) {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewTemplate().withNewSpec().addNewContainer().withName("app")
                .withImage("shop/" + name + ":1").withNewResources().addToLimits("memory", new Quantity(memoryLimit))
                .endResources().endContainer().endSpec().endTemplate().endSpec().build();
        k8s.apps().deployments().inNamespace("shop").resource(d).create();
    }

    private static Deployment live(String name) {
        return k8s.apps().deployments().inNamespace("shop").withName(name).get();
    }

    private static Quantity limit(String name) {
        return live(name).getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory");
    }

    @Test
    void theKubernetesAndNeo4jActionsAreToolsWithGeneratedSchemas() {
        var tools = client.listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(McpTestSupport.ALL_TOOLS)
                // core's built-ins stay runbook steps
                .doesNotContain("log", "set", "fail", "assert", "wait", "calculate", "webhook", "slack_notify");
        assertThat(server.actionTools()).containsExactlyInAnyOrderElementsOf(McpTestSupport.K8S_NEO4J_TOOLS);

        var get = tool(tools, "kubectl_get");
        assertThat(get.inputSchema().properties()).containsKeys("resource", "kind", "name", "namespace", "field",
                "default", "cluster");
        assertThat(map(get.inputSchema().properties().get("field"))).containsEntry("type", "string");
        assertThat(get.annotations().readOnlyHint()).isTrue();

        var patch = tool(tools, "kubectl_patch");
        assertThat(patch.inputSchema().required()).contains("patch");
        assertThat(patch.annotations().readOnlyHint()).isFalse();
        assertThat(patch.annotations().destructiveHint()).isTrue();

        var scale = tool(tools, "kubectl_scale");
        assertThat(scale.inputSchema().required()).containsExactly("replicas");
        assertThat(map(scale.inputSchema().properties().get("replicas"))).containsEntry("type", "integer");
        assertThat(scale.inputSchema().additionalProperties()).isFalse();

        var drain = tool(tools, "kubectl_drain");
        assertThat(map(drain.inputSchema().properties().get("timeout"))).containsEntry("type", "string")
                .containsKey("pattern");

        var check = tool(tools, "check_neo4j");
        assertThat(check.inputSchema().required()).containsExactly("query");
        assertThat(map(check.inputSchema().properties().get("params"))).containsEntry("type", "object");
        assertThat(check.inputSchema().properties()).doesNotContainKey("cluster");
        assertThat(check.annotations().readOnlyHint()).isTrue();
    }

    @Test
    void aReadReturnsTheFieldThroughTheEngineWithoutApproval() {
        deployment("catalog", 2, "256Mi");
        var r = ok(call(client, "kubectl_get", Map.of("resource", "deployment/catalog", "namespace", "shop",
                "field", "spec.template.spec.containers[name=app].resources.limits.memory")));
        assertThat(r).containsEntry("status", "SUCCEEDED").containsEntry("output", "256Mi")
                .containsEntry("runbook_id", "mcp-kubectl_get").doesNotContainKey("approval");
        assertThat(list(r.get("dry_run_steps"))).isEmpty();
        assertThat(asked).isEmpty();
        String recent = ((McpSchema.TextResourceContents) client.readResource(
                new McpSchema.ReadResourceRequest("runbook://executions/recent")).contents().get(0)).text();
        assertThat(recent).contains((String) r.get("execution_id"));

        // a cluster the server does not know is refused by the action, never served by the default cluster
        var other = refused(call(client, "kubectl_get", Map.of("resource", "deployment/catalog", "namespace", "shop",
                "cluster", "prod-eu")));
        assertThat(other).containsEntry("status", "FAILED");
        assertThat((String) other.get("error")).contains("prod-eu");

        // a wrong argument is a tool error naming it
        var bad = call(client, "kubectl_get", Map.of("resource", "deployment/catalog", "colour", "red"));
        assertThat(bad.isError()).isTrue();
        assertThat(text(bad)).contains("colour");
    }

    @Test
    void scalingBeyondTheReplicaBoundsIsRefusedByTheDryRunAndNothingIsAsked() {
        deployment("cart", 2, "128Mi");
        var r = refused(call(client, "kubectl_scale", Map.of("resource", "deployment/cart", "namespace", "shop",
                "replicas", 9)));
        assertThat(r).containsEntry("status", "DENIED");
        assertThat(map(r.get("refused_by"))).containsEntry("guard", "dry_run");
        assertThat((String) map(r.get("refused_by")).get("reason")).contains("replicas 9")
                .contains("safety.replicas bounds 1..5");
        assertThat(asked).isEmpty();
        assertThat(live("cart").getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void aChangeIsRefusedWithoutApprovalAndAppliedWhenApproved() throws InterruptedException {
        deployment("checkout", 2, "256Mi");
        // stand-in for the API server's dry run (see the class comment): answered, not stored
        mockServer.expect().patch().withPath("/apis/apps/v1/namespaces/shop/deployments/checkout?dryRun=All")
                .andReturn(200, live("checkout")).always();
        Map<String, Object> args = Map.of("name", "checkout", "namespace", "shop", "container", "app",
                "limits", Map.of("memory", "512Mi"));

        approve.set(false);
        var declined = refused(call(client, "k8s_set_resources", args));
        assertThat(map(declined.get("refused_by"))).containsEntry("guard", "approval");
        assertThat(map(declined.get("approval"))).containsEntry("approved", false)
                .containsEntry("approver", "mcp-client:k8s-agent");
        assertThat(list(declined.get("steps"))).isEmpty();
        assertThat(asked).singleElement().asString().contains("mcp-k8s_set_resources").contains("Deployment/shop/checkout");
        var dryPatch = mockServer.getLastRequest();
        assertThat(dryPatch.getMethod()).isEqualTo("PATCH");
        assertThat(dryPatch.getPath()).contains("/namespaces/shop/deployments/checkout").contains("dryRun=All");
        assertThat(limit("checkout")).isEqualTo(new Quantity("256Mi"));

        approve.set(true);
        var done = ok(call(client, "k8s_set_resources", Map.of("name", "checkout", "namespace", "shop",
                "container", "app", "limits", Map.of("memory", "768Mi"))));
        assertThat(done).containsEntry("status", "SUCCEEDED");
        assertThat(map(done.get("approval"))).containsEntry("approved", true).containsEntry("approver", "mcp-client:k8s-agent");
        assertThat(list(map(list(done.get("dry_run_steps")).get(0)).get("touched"))).containsExactly("Deployment/shop/checkout");
        assertThat(limit("checkout")).isEqualTo(new Quantity("768Mi"));
        assertThat(mockServer.getLastRequest().getPath()).doesNotContain("dryRun");

        // within the bounds, an approved scale is applied
        var scaled = ok(call(client, "kubectl_scale", Map.of("resource", "deployment/checkout", "namespace", "shop",
                "replicas", 4)));
        assertThat(scaled).containsEntry("status", "SUCCEEDED");
        assertThat(live("checkout").getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void checkNeo4jRunsAReadQueryAndRefusesAWrite() {
        var r = ok(call(client, "check_neo4j", Map.of("query",
                "MATCH (e:Episodic {eid: $eid}) RETURN e.reason AS reason, count(*) AS n", "params", Map.of("eid", "e-1"))));
        assertThat(r).containsEntry("status", "SUCCEEDED");
        assertThat(map(r.get("output"))).containsEntry("reason", "OOMKilled").containsEntry("n", 1);
        assertThat(asked).isEmpty();

        var write = refused(call(client, "check_neo4j", Map.of("query", "CREATE (:Episodic {eid: 'mcp-evil'}) RETURN 1 AS one")));
        assertThat(write).containsEntry("status", "FAILED");
        assertThat((String) write.get("error")).contains("only reads");
        assertThat(driver.executableQuery("MATCH (e:Episodic {eid: 'mcp-evil'}) RETURN count(e) AS n").execute()
                .records().get(0).get("n").asLong()).isZero();
    }

    /**
     * Issue 13: the tool runs the same action through the same engine path as kubectl_get (no approval: a read), so
     * the action's read-only guard holds here too; each refusal is a failed, recorded execution naming the clause.
     */
    @Test
    void checkNeo4jRefusesWhatIsNotAReadOfTheGraph() {
        var attempts = new java.util.LinkedHashMap<Map<String, Object>, String>();
        attempts.put(Map.of("query", "LOAD CSV FROM $url AS l RETURN l", "params", Map.of("url", "http://127.0.0.1:9/x")),
                "LOAD CSV is refused");
        attempts.put(Map.of("query", "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l"), "LOAD CSV is refused");
        attempts.put(Map.of("query", "SHOW USERS"), "SHOW USERS is refused");
        attempts.put(Map.of("query", "CALL dbms.listConfig()"), "CALL dbms.listConfig is refused");
        attempts.put(Map.of("query", "CALL db.clearQueryCaches()"), "CALL db.clearQueryCaches is refused");
        attempts.put(Map.of("query", "MATCH (n) RETURN count(n) AS n", "database", "system"), "database 'system' is refused");
        int before = server.recentExecutions().size();
        attempts.forEach((args, refusal) -> {
            var r = refused(call(client, "check_neo4j", args));
            assertThat(r).as("%s", args).containsEntry("status", "FAILED");
            assertThat((String) r.get("error")).as("%s", args).contains(refusal).doesNotContain("Exception");
        });
        assertThat(server.recentExecutions()).hasSize(before + attempts.size());
        assertThat(asked).isEmpty();
    }

    private static McpSchema.Tool tool(List<McpSchema.Tool> tools, String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
