package dev.runbook.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.testkit.TestClock;
import dev.runbook.k8s.testing.Fixtures;
import dev.runbook.k8s.testing.StandInDispatcher.Recorded;
import dev.runbook.k8s.testing.TestCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the mock cannot prove by its resulting objects, proven by the requests the client sends (and by canned
 * responses in expectation mode): the strategic merge patch's content type and body, {@code dryRun=All} on dry-run
 * writes, eviction answered 201 / 429 (a PodDisruptionBudget), and 409 retried on fresh data.
 */
class RequestAssertionTest {
    private TestCluster cluster;
    private KubernetesActions actions;
    private final TestClock clock = new TestClock();

    @BeforeEach
    void start() {
        cluster = TestCluster.mock();
        Fixtures.createWeb(cluster.client(), "default");
        actions = new KubernetesActions(KubernetesClients.of(cluster.client()));
        cluster.dispatcher().orElseThrow().requests.clear();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Action action(String name) {
        return actions.actions().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    /** An incident in the default cluster (TestActionContext's default names another cluster). */
    private static TestActionContext.Builder ctx(Action a) {
        return TestActionContext.builder(a).incident(dev.runbook.core.model.Incident.builder("i-1")
                .symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(dev.runbook.core.model.ResourceRef.of("Pod", "default", "web-1")).build());
    }

    @Test
    void anUnknownClusterIsAClearErrorNeverTheDefaultCluster() {
        var a = action("kubectl_get");
        assertThatThrownBy(() -> a.execute(TestActionContext.builder(a).incident(dev.runbook.core.model.Incident
                .builder("i-2").symptomReason("x").rootCause("y", 0.9).resource(dev.runbook.core.model.ResourceRef
                        .of("Pod", "default", "web-1")).cluster("prod-eu-1").build())
                .params(Map.of("resource", "deployment/web")).build()))
                .isInstanceOf(ActionException.class)
                .hasMessage("kubectl_get: unknown cluster 'prod-eu-1': no client is registered for it (registered: none); "
                        + "register one with KubernetesClients.builder(..).cluster(\"prod-eu-1\", client)");
        assertThat(cluster.dispatcher().orElseThrow().requests).isEmpty();
    }

    private static Object json(String text) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(text, Object.class);
    }

    private List<Recorded> writes() {
        return cluster.dispatcher().orElseThrow().requests.stream().filter(Recorded::mutating).toList();
    }

    @Test
    void patchSendsAStrategicMergePatchOfTheTreeAsJson() throws Exception {
        Map<String, Object> patch = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "app", "resources", Map.of("limits", Map.of("memory", "512Mi"))))))));
        var a = action("kubectl_patch");
        a.execute(ctx(a).params(Map.of("resource", "deployment/web", "patch", patch)).build());

        assertThat(writes()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("PATCH");
            assertThat(r.path()).isEqualTo("/apis/apps/v1/namespaces/default/deployments/web");
            assertThat(r.contentType()).startsWith("application/strategic-merge-patch+json");
            assertThat(json(r.body())).isEqualTo(patch);
        });
    }

    @Test
    void patchValuesAreDataNeverJsonText() throws Exception {
        var a = action("kubectl_patch");
        String hostile = "x\"}},\"metadata\":{\"labels\":{\"owned\":\"yes";
        a.execute(ctx(a).params(Map.of("resource", "deployment/web", "type", "merge",
                "patch", Map.of("metadata", Map.of("annotations", Map.of("note", hostile))))).build());

        assertThat(writes()).singleElement().satisfies(r -> assertThat(r.contentType()).startsWith("application/merge-patch+json"));
        var d = cluster.client().apps().deployments().inNamespace("default").withName("web").get();
        assertThat(d.getMetadata().getAnnotations()).containsEntry("note", hostile);
        assertThat(d.getMetadata().getLabels()).doesNotContainKey("owned");
    }

    @Test
    void dryRunWritesCarryDryRunAllAndChangeNothing() throws Exception {
        var a = action("k8s_set_resources");
        var result = a.execute(ctx(a).params(Map.of("name", "web", "container", "app",
                "limits", Map.of("memory", "512Mi"))).dryRun(true).build());

        assertThat(writes()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/apis/apps/v1/namespaces/default/deployments/web?dryRun=All");
            assertThat(r.contentType()).startsWith("application/json-patch+json");
        });
        assertThat(result.summary()).isEqualTo("dry run: would have patched Deployment default/web: memory limit 256Mi -> 512Mi");
        assertThat(result.touched()).singleElement().satisfies(t -> assertThat(t.key()).isEqualTo("Deployment/default/web"));
        assertThat(cluster.client().apps().deployments().inNamespace("default").withName("web").get().getSpec().getTemplate()
                .getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("256Mi");
    }

    @Test
    void aConflictIsRetriedOnFreshData() throws Exception {
        cluster.server().orElseThrow().expect().patch().withPath("/apis/apps/v1/namespaces/default/deployments/web")
                .andReturn(409, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "code", 409,
                        "reason", "Conflict", "message", "the object has been modified")).once();
        var a = action("k8s_set_resources");
        var result = a.execute(ctx(a).params(Map.of("name", "web", "container", "app",
                "limits", Map.of("memory", "512Mi"))).build());

        assertThat(writes()).hasSize(2).allSatisfy(r -> assertThat(r.body()).contains("/metadata/resourceVersion"));
        assertThat(result.summary()).isEqualTo("patched Deployment default/web: memory limit 256Mi -> 512Mi");
    }

    private static Map<String, Object> webManifest(int replicas) {
        return Map.of("apiVersion", "apps/v1", "kind", "Deployment", "metadata", Map.of("name", "web"),
                "spec", Map.of("replicas", replicas));
    }

    @Test
    void applyDoesNotForceOwnershipByDefaultAndAConflictNamesTheOtherFieldManagers() {
        // what an API server answers to a server-side apply without force that meets fields other managers own
        String path = "/apis/apps/v1/namespaces/default/deployments/web?fieldManager=runbook";
        cluster.server().orElseThrow().expect().patch().withPath(path).andReturn(409, Map.of("kind", "Status",
                "apiVersion", "v1", "status", "Failure", "code", 409, "reason", "Conflict",
                "message", "Apply failed with 2 conflicts: conflict with \"kubectl-client-side-apply\" using apps/v1: "
                        + ".spec.replicas\nconflict with \"helm\" using apps/v1: .spec.template.spec.containers[name=\"app\"].image",
                "details", Map.of("name", "web", "group", "apps", "kind", "deployments", "causes", List.of(
                        Map.of("reason", "FieldManagerConflict", "field", ".spec.replicas",
                                "message", "conflict with \"kubectl-client-side-apply\" using apps/v1"),
                        Map.of("reason", "FieldManagerConflict", "field", ".spec.template.spec.containers[name=\"app\"].image",
                                "message", "conflict with \"helm\" using apps/v1"))))).once();
        var a = action("kubectl_apply");

        assertThatThrownBy(() -> a.execute(ctx(a).params(Map.of("manifest", webManifest(3))).build()))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("kubectl_apply: server-side apply of Deployment default/web conflicts with fields other field "
                        + "managers own, nothing was changed: .spec.replicas (owned by \"kubectl-client-side-apply\" using "
                        + "apps/v1); .spec.template.spec.containers[name=\"app\"].image (owned by \"helm\" using apps/v1); "
                        + "set force_conflicts: true to take these fields over (kubectl apply --server-side --force-conflicts), "
                        + "or leave them out of the manifest");
        assertThat(writes()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo(path);
            assertThat(r.contentType()).startsWith("application/apply-patch+yaml");
        });
        assertThat(cluster.client().apps().deployments().inNamespace("default").withName("web").get().getSpec()
                .getReplicas()).isEqualTo(1);
    }

    @Test
    void applyWithForceConflictsAsksTheServerToForce() throws Exception {
        var a = action("kubectl_apply");
        a.execute(ctx(a).params(Map.of("manifest", webManifest(2), "force_conflicts", true)).build());

        assertThat(writes()).singleElement().satisfies(r -> {
            assertThat(r.path()).startsWith("/apis/apps/v1/namespaces/default/deployments/web?");
            assertThat(r.path().substring(r.path().indexOf('?') + 1).split("&"))
                    .containsExactlyInAnyOrder("fieldManager=runbook", "force=true");
        });
    }

    @Test
    void evictionRefusedByABudgetIsRetriedUntilAccepted() throws Exception {
        Fixtures.node(cluster.client(), "node-1", true);
        Fixtures.podOnNode(cluster.client(), "default", "p1", "node-1", "ReplicaSet", false);
        cluster.dispatcher().orElseThrow().requests.clear();
        var server = cluster.server().orElseThrow();
        String path = "/api/v1/namespaces/default/pods/p1/eviction";
        server.expect().post().withPath(path).andReturn(429, Map.of("kind", "Status", "apiVersion", "v1", "code", 429,
                "reason", "TooManyRequests", "message", "Cannot evict pod as it would violate the pod's disruption budget."))
                .times(2);
        server.expect().post().withPath(path).andReturn(201, Map.of("kind", "Status", "apiVersion", "v1", "code", 201,
                "status", "Success")).once();
        var a = action("kubectl_drain");
        var result = a.execute(ctx(a).clock(clock).params(Map.of("node", "node-1", "timeout", 60,
                "retry_interval", 5)).dryRun(true).build());

        var evictions = writes().stream().filter(r -> r.path().endsWith("/eviction")).toList();
        assertThat(evictions).hasSize(3).allSatisfy(r -> assertThat(r.body()).contains("\"dryRun\":[\"All\"]"));
        assertThat(result.summary()).isEqualTo("dry run: would have drained Node node-1: evicted 1 pod(s)");
    }

    @Test
    void drainCountsPodsTerminatingLongerThanSkipWaitForDeleteTimeoutAsGone() throws Exception {
        Fixtures.node(cluster.client(), "node-1", false);
        Fixtures.podOnNode(cluster.client(), "default", "p1", "node-1", "ReplicaSet", false);
        var dispatcher = cluster.dispatcher().orElseThrow();
        // a NotReady node: its kubelet never confirms, so evicted pods stay Terminating (deleted 10 minutes ago)
        dispatcher.evictionLeavesTerminatingSince = clock.instant().minus(java.time.Duration.ofMinutes(10));
        var a = action("kubectl_drain");

        assertThatThrownBy(() -> a.execute(ctx(a).clock(clock).params(Map.of("node", "node-1", "timeout", 1)).build()))
                .isInstanceOf(ActionException.class)
                .hasMessage("kubectl_drain: Node node-1 not drained within 1s (node is cordoned); 1 pod(s) left: "
                        + "default/p1 (evicted but still present)");
        assertThat(cluster.client().pods().inNamespace("default").withName("p1").get().getMetadata().getDeletionTimestamp())
                .isNotNull();

        // p1 is already Terminating for longer than the limit: skipped; p2 is evicted and stays Terminating: counted gone
        Fixtures.podOnNode(cluster.client(), "default", "p2", "node-1", "ReplicaSet", false);
        dispatcher.requests.clear();
        var result = a.execute(ctx(a).clock(clock).params(Map.of("node", "node-1", "timeout", 30,
                "skip_wait_for_delete_timeout", "5m")).build());

        assertThat(result.summary()).isEqualTo("drained Node node-1: evicted 1 pod(s), skipped 1");
        assertThat(result.output().orElseThrow()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("evicted", List.of("default/p2"))
                .containsEntry("skipped", List.of("default/p1 (Terminating for more than skip_wait_for_delete_timeout 300s)"));
        assertThat(writes().stream().filter(r -> r.path().endsWith("/eviction")).map(Recorded::path))
                .containsExactly("/api/v1/namespaces/default/pods/p2/eviction");
        assertThat(cluster.client().pods().inNamespace("default").withName("p2").get().getMetadata().getDeletionTimestamp())
                .isNotNull();
    }

    @Test
    void evictionStillRefusedAtTheTimeoutFailsListingThePodsLeft() {
        Fixtures.node(cluster.client(), "node-1", true);
        Fixtures.podOnNode(cluster.client(), "default", "p1", "node-1", "ReplicaSet", false);
        Fixtures.podOnNode(cluster.client(), "default", "p2", "node-1", "ReplicaSet", false);
        cluster.server().orElseThrow().expect().post().withPath("/api/v1/namespaces/default/pods/p1/eviction")
                .andReturn(429, Map.of("kind", "Status", "apiVersion", "v1", "code", 429, "reason", "TooManyRequests",
                        "message", "would violate the pod's disruption budget")).always();
        var a = action("kubectl_drain");

        assertThatThrownBy(() -> a.execute(ctx(a).clock(clock).params(Map.of("node", "node-1",
                "timeout", 30, "retry_interval", 5)).build()))
                .isInstanceOf(ActionException.class)
                .hasMessage("kubectl_drain: Node node-1 not drained within 30s (node is cordoned); 1 pod(s) left: default/p1 "
                        + "(eviction refused: a PodDisruptionBudget allows no disruption now)");
        assertThat(cluster.client().pods().inNamespace("default").withName("p2").get()).isNull();
        long attempts = writes().stream().filter(r -> r.path().endsWith("/p1/eviction")).count();
        // Rounds back off (5 s doubling, equal jitter seeded by execution and step) until the 30 s deadline.
        assertThat(attempts).isEqualTo(5);
    }
}
