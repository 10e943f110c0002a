package dev.runbook.k8s.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in dispatcher applies each patch content type by its own rules, over HTTP as the client sends it: strategic
 * merge by {@link StrategicMerge}, JSON merge patch by RFC 7386, JSON patch by RFC 6902, server-side apply as a merge.
 */
class StandInPatchTest {
    private TestCluster cluster;

    @BeforeEach
    void start() {
        cluster = TestCluster.mock();
        cluster.client().apps().deployments().inNamespace("shop").resource(Fixtures.web("shop")).create();
        deployment().edit(d -> new DeploymentBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer()
                .addNewPort().withContainerPort(8080).endPort().addNewPort().withContainerPort(9090).endPort()
                .endContainer().endSpec().endTemplate().endSpec().build());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void strategicMergeMergesPortsByContainerPortAndContainersByName() {
        Deployment d = deployment().patch(PatchContext.of(PatchType.STRATEGIC_MERGE), """
                {"spec": {"template": {"spec": {"containers": [
                  {"name": "app", "ports": [{"containerPort": 8080, "name": "http"}]},
                  {"name": "sidecar", "$patch": "delete"}]}}}}""");

        var containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).singleElement().satisfies(c -> {
            assertThat(c.getImage()).isEqualTo("registry.example.com/web:1.4.2");
            assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort, ContainerPort::getName)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(8080, "http"), org.assertj.core.groups.Tuple.tuple(9090, null));
        });
        assertThat(deployment().get().getSpec().getTemplate().getSpec().getContainers()).isEqualTo(containers);
    }

    @Test
    void aStrategicMergePatchTheServerRefusesAnswers400AndChangesNothing() {
        Deployment before = deployment().get();

        assertThatThrownBy(() -> deployment().patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\": {\"template\": {\"spec\": {\"containers\": [{\"image\": \"nameless\"}]}}}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(400));
        assertThat(deployment().get()).isEqualTo(before);
    }

    @Test
    void jsonMergePatchReplacesListsAndNullDeletes() {
        Deployment d = deployment().patch(PatchContext.of(PatchType.JSON_MERGE), """
                {"metadata": {"labels": {"team": "web"}},
                 "spec": {"template": {"metadata": {"labels": {"app": null}},
                                       "spec": {"containers": [{"name": "only", "image": "busybox"}]}}}}""");

        assertThat(d.getMetadata().getLabels()).isEqualTo(Map.of("team", "web"));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).isNullOrEmpty();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getName()).isEqualTo("only"));
    }

    @Test
    void jsonPatchAddsOnlyUnderAnExistingParent() {
        Deployment d = deployment().patch(PatchContext.of(PatchType.JSON),
                "[{\"op\": \"add\", \"path\": \"/metadata/annotations\", \"value\": {\"note\": \"x\"}}]");
        assertThat(d.getMetadata().getAnnotations()).isEqualTo(Map.of("note", "x"));

        // RFC 6902 4.1: the parent of an added value must exist (fabric8's mock would create it)
        assertThatThrownBy(() -> deployment().patch(PatchContext.of(PatchType.JSON),
                "[{\"op\": \"add\", \"path\": \"/spec/template/spec/affinity/nodeAffinity\", \"value\": {}}]"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(deployment().get().getSpec().getTemplate().getSpec().getAffinity()).isNull();
    }

    @Test
    void aStaleResourceVersionInAPatchConflicts() {
        String stale = deployment().get().getMetadata().getResourceVersion();
        deployment().patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\": {\"labels\": {\"n\": \"1\"}}}");

        assertThatThrownBy(() -> deployment().patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"metadata\": {\"resourceVersion\": \"" + stale + "\", \"labels\": {\"n\": \"2\"}}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void serverSideApplyCreatesThenMerges() {
        var configMaps = cluster.client().configMaps().inNamespace("shop");
        ConfigMap applied = new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                .addToData("a", "1").build();

        configMaps.resource(applied).serverSideApply();
        ConfigMap again = configMaps.resource(new ConfigMapBuilder(applied).withData(Map.of("b", "2")).build())
                .serverSideApply();

        // a real server would also remove "a", which this manager no longer applies: field ownership is not modelled
        assertThat(again.getData()).isEqualTo(Map.of("a", "1", "b", "2"));
    }

    @Test
    void aDryRunPatchLeavesTheStoreAsItWas() {
        Deployment before = deployment().get();

        Deployment would = deployment().patch(new PatchContext.Builder().withPatchType(PatchType.STRATEGIC_MERGE)
                .withDryRun(List.of("All")).build(), "{\"spec\": {\"replicas\": 5}}");

        assertThat(would.getSpec().getReplicas()).isEqualTo(5);
        assertThat(deployment().get()).isEqualTo(before);
    }

    private io.fabric8.kubernetes.client.dsl.RollableScalableResource<Deployment> deployment() {
        return cluster.client().apps().deployments().inNamespace("shop").withName("web");
    }
}
