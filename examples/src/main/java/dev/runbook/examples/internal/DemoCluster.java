package dev.runbook.examples.internal;

import dev.runbook.k8s.testing.SimulatedController;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The demo's Kubernetes: a real cluster, or fabric8's mock API server with a simulated Deployment controller; the
 * demo's Deployments and their pods on it, the failures the mock's pods are made to show, and what the demo reads
 * back. Whatever was opened is closed by {@link #close}, also when opening failed half-way.
 */
public final class DemoCluster implements AutoCloseable {
    private final Consumer<String> out;
    private KubernetesClient k8s;
    private String ns;
    /** The mock API server and its controller; null on a real cluster. */
    private MockKubernetes mock;
    private SimulatedController controller;

    /** Nothing opened yet; prints through {@code out}, one line per call. */
    public DemoCluster(Consumer<String> out) {
        this.out = out;
    }

    /**
     * Connects to a real cluster, by a kubeconfig file (its {@code context}, or its current one) or by a context of
     * the default configuration, and creates {@code namespace} when it is missing.
     */
    public void connect(Optional<Path> kubeconfig, Optional<String> context, String namespace) {
        Config config = kubeconfig.isPresent()
                ? Config.fromKubeconfig(context.orElse(null), kubeconfig.get().toFile())
                : Config.autoConfigure(context.get());
        k8s = new KubernetesClientBuilder().withConfig(config).build();
        ns = namespace;
        out.accept("Kubernetes: " + k8s.getMasterUrl() + ", namespace " + ns);
        if (k8s.namespaces().withName(ns).get() == null) {
            k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
    }

    /** Starts the mock API server, namespace {@code shop}, with a simulated Deployment controller. */
    public void startMock() {
        mock = MockKubernetes.start();
        k8s = mock.client();
        ns = "shop";
        controller = new SimulatedController(k8s, ns);
        out.accept("Kubernetes: fabric8 mock API server (CRUD mode) at " + mock.url()
                + ", with a simulated Deployment controller");
    }

    /** The client, once connected or started. */
    public KubernetesClient client() {
        return k8s;
    }

    /** Where the demo's Deployments live. */
    public String namespace() {
        return ns;
    }

    /** Creates a Deployment with one container "app" limited to 256Mi and waits for its pod. */
    public Pod deploy(String name, String image) throws Exception {
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
    public void crashLoopAfterOom(Pod pod) {
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
    public String memory(String deployment) {
        var d = k8s.apps().deployments().inNamespace(ns).withName(deployment).get();
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString();
    }

    @Override
    public void close() {
        if (controller != null) {
            controller.close();
        }
        if (mock != null) {
            mock.close();
        } else if (k8s != null) {
            k8s.close();
        }
    }
}
