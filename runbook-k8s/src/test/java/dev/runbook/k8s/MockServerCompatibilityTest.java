package dev.runbook.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

/**
 * The fabric8 client and its CRUD mock server work on this module's class path (one Netty 4.1 pinned by the
 * parent's netty-bom): what every test of this module stands on.
 */
@EnableKubernetesMockClient(crud = true)
class MockServerCompatibilityTest {
    static KubernetesClient client;

    @Test
    void storesAndPatchesADeploymentWithOptimisticLocking() {
        Deployment created = client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec().addNewContainer().withName("app")
                .withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec().build()).create();

        Deployment scaled = client.apps().deployments().inNamespace("default").withName("web")
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(3).endSpec().build());

        assertThat(scaled.getSpec().getReplicas()).isEqualTo(3);
        assertThat(scaled.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());
        assertThat(scaled.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getImage()).isEqualTo("nginx:1.27"));
    }
}
