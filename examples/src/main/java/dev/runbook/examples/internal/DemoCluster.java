package dev.runbook.examples.internal;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The demo's workloads on Kubernetes, the mock or a real cluster: its Deployments and their pods, the failures the
 * mock's pods are made to show, and what the demo reads back.
 */
public final class DemoCluster {
    private DemoCluster() {
    }

    /** Creates a Deployment with one container "app" limited to 256Mi and waits for its pod. */
    public static Pod deploy(KubernetesClient k8s, String ns, String name, String image) throws Exception {
        if (k8s.apps().deployments().inNamespace(ns).withName(name).get() != null) {
            k8s.apps().deployments().inNamespace(ns).withName(name).delete();
            k8s.apps().deployments().inNamespace(ns).withName(name).waitUntilCondition(d -> d == null, 60, TimeUnit.SECONDS);
        }
        k8s.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage(image)
                .withNewResources().addToLimits("memory", new Quantity("256Mi"))
                .addToRequests("memory", new Quantity("128Mi")).endResources().endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        return k8s.pods().inNamespace(ns).withLabel("app", name)
                .informOnCondition(l -> l.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null))
                .get(60, TimeUnit.SECONDS).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .findFirst().orElseThrow();
    }

    /** On the mock: shows the pod as a real one would look after repeated OOM kills. */
    public static void crashLoopAfterOom(KubernetesClient k8s, String ns, Pod pod) {
        k8s.pods().inNamespace(ns).withName(pod.getMetadata().getName()).editStatus(p -> new PodBuilder(p).editStatus()
                .withConditions().addNewCondition().withType("Ready").withStatus("False").endCondition()
                .withContainerStatuses(new ContainerStatusBuilder().withName("app").withReady(false).withRestartCount(5)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated()
                        .endLastState().build())
                .endStatus().build());
    }

    /** The name of the pod's owner (its ReplicaSet on a real cluster), or the pod's own without one. */
    public static String owner(Pod pod) {
        return Optional.ofNullable(pod.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
                .map(o -> o.getName()).findFirst().orElse(pod.getMetadata().getName());
    }

    /** The memory limit of the Deployment's first container, as the cluster has it now. */
    public static String memory(KubernetesClient k8s, String ns, String deployment) {
        var d = k8s.apps().deployments().inNamespace(ns).withName(deployment).get();
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString();
    }
}
