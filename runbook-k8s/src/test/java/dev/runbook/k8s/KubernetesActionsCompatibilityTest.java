package dev.runbook.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionProvider;
import dev.runbook.testkit.ActionProviderCompatibilityKit;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.k8s.testing.Fixtures;
import dev.runbook.k8s.testing.StandInDispatcher;
import dev.runbook.k8s.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Core's compatibility kit for {@link KubernetesActions} on the mock. The kit's "dry run changes nothing" holds here
 * because the {@link StandInDispatcher} honours {@code dryRun=All}; what this test adds, and what holds against any
 * server, is that every write a dry run sent carried {@code dryRun=All}.
 */
class KubernetesActionsCompatibilityTest extends ActionProviderCompatibilityKit {
    private TestCluster cluster;
    private KubernetesActions actions;

    @BeforeEach
    void start() {
        cluster = TestCluster.mock();
        var c = cluster.client();
        var web = Fixtures.createWeb(c, "default");
        c.apps().replicaSets().inNamespace("default").resource(new ReplicaSetBuilder().withNewMetadata().withName("web-1")
                .addToAnnotations("deployment.kubernetes.io/revision", "1").addNewOwnerReference().withApiVersion("apps/v1")
                .withKind("Deployment").withName("web").withUid(web.getMetadata().getUid()).withController(true)
                .endOwnerReference().endMetadata().withNewSpec().withTemplate(Fixtures.web("default").getSpec().getTemplate())
                .editTemplate().editSpec().editFirstContainer().withImage("registry.example.com/web:1.4.1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        Fixtures.node(c, "node-1", true);
        Fixtures.node(c, "node-2", true);
        c.nodes().withName("node-2").edit(n -> {
            n.getSpec().setUnschedulable(true);
            return n;
        });
        Fixtures.podOnNode(c, "default", "web-pod", "node-1", "ReplicaSet", false);
        actions = new KubernetesActions(KubernetesClients.of(c));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Override
    protected ActionProvider provider() {
        return actions;
    }

    @Override
    protected TestActionContext.Builder contextFor(String action) {
        return super.contextFor(action).incident(Incident.builder("i-1").symptomReason("CrashLoopBackOff")
                .rootCause("OOMKilled", 0.9).resource(new ResourceRef("Pod", "web-pod", "default", Optional.empty(),
                        Optional.of("web"), Optional.of("app"))).build());
    }

    @Override
    protected Map<String, Map<String, Object>> validParams() {
        return Map.ofEntries(
                Map.entry("kubectl_get", Map.of("resource", "deployment/web", "field", "spec.replicas")),
                Map.entry("kubectl_patch", Map.of("resource", "deployment", "name", "web",
                        "patch", Map.of("spec", Map.of("replicas", 2)))),
                Map.entry("kubectl_apply", Map.of("manifest", Map.of("apiVersion", "v1", "kind", "ConfigMap",
                        "metadata", Map.of("name", "settings"), "data", Map.of("a", "1")))),
                Map.entry("kubectl_rollout_restart", Map.of("resource", "deployment/web")),
                Map.entry("kubectl_rollout_undo", Map.of("resource", "deployment/web", "to_revision", 1)),
                Map.entry("kubectl_scale", Map.of("resource", "deployment/web", "replicas", 3, "min", 1, "max", 5)),
                Map.entry("kubectl_cordon", Map.of("node", "node-1")),
                Map.entry("kubectl_uncordon", Map.of("node", "node-2")),
                Map.entry("kubectl_drain", Map.of("node", "node-1", "timeout", 5)),
                Map.entry("kubectl_delete_pod", Map.of("name", "web-pod")),
                Map.entry("k8s_set_resources", Map.of("name", "web", "container", "app",
                        "limits", Map.of("memory", "512Mi"))));
    }

    @Override
    protected Object externalState() {
        var c = cluster.client();
        return List.of(c.apps().deployments().inAnyNamespace().list().getItems(), c.pods().inAnyNamespace().list().getItems(),
                c.nodes().list().getItems(), c.configMaps().inAnyNamespace().list().getItems());
    }

    @Test
    void everyWriteOfADryRunCarriesDryRunAll() throws Exception {
        var log = cluster.dispatcher().orElseThrow().requests;
        for (var a : actions.actions()) {
            if (!a.mutating()) {
                continue;
            }
            int from = log.size();
            var result = a.execute(contextFor(a.name()).params(validParams().get(a.name())).dryRun(true).build());
            var writes = log.subList(from, log.size()).stream().filter(StandInDispatcher.Recorded::mutating).toList();
            assertThat(writes).as("writes of %s", a.name()).isNotEmpty().allSatisfy(r -> assertThat(r.dryRun())
                    .as("%s %s of %s", r.method(), r.path(), a.name()).isTrue());
            assertThat(result.summary()).as("summary of %s", a.name()).startsWith("dry run: would have ");
            assertThat(result.touched()).as("touched of %s", a.name()).isNotEmpty();
        }
    }
}
