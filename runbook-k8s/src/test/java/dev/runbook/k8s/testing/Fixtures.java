package dev.runbook.k8s.testing;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Objects the tests start from. */
public final class Fixtures {
    private Fixtures() {
    }

    /** Deployment {@code web}: container app (image, env, memory limit 256Mi) and a sidecar. */
    public static Deployment web(String namespace) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage("registry.example.com/web:1.4.2")
                .addNewEnv().withName("MODE").withValue("prod").endEnv()
                .withNewResources().addToLimits("memory", new Quantity("256Mi")).addToRequests("memory", new Quantity("128Mi"))
                .endResources().endContainer()
                .addNewContainer().withName("sidecar").withImage("registry.example.com/proxy:2.0").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    public static Deployment createWeb(KubernetesClient client, String namespace) {
        return client.apps().deployments().inNamespace(namespace).resource(web(namespace)).create();
    }

    /** A Ready node. */
    public static void node(KubernetesClient client, String name, boolean ready) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "Unknown")
                .withReason(ready ? "KubeletReady" : "NodeStatusUnknown").endCondition().endStatus().build()).create();
    }

    /** A pod on a node, optionally owned by a DaemonSet or mirrored. */
    public static void podOnNode(KubernetesClient client, String ns, String name, String node, String ownerKind,
                                 boolean mirror) {
        var b = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns);
        if (ownerKind != null) {
            b.addNewOwnerReference().withApiVersion("apps/v1").withKind(ownerKind).withName(name + "-owner")
                    .withUid("uid-" + name + "-owner").withController(true).endOwnerReference();
        }
        if (mirror) {
            b.addToAnnotations("kubernetes.io/config.mirror", "abc");
        }
        client.pods().inNamespace(ns).resource(b.endMetadata().withNewSpec().withNodeName(node).addNewContainer()
                .withName("c").withImage("busybox").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
    }
}
