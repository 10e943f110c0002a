package dev.runbook.k8s.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small stand-in for the Deployment and ReplicaSet controllers, for the mock server only (a real cluster has the
 * real ones): when a Deployment's generation is not yet observed it finds or creates the ReplicaSet of the current
 * pod template (with the next {@code deployment.kubernetes.io/revision}), replaces the Deployment's pods by pods of
 * that ReplicaSet, marks them Ready (or not, when {@link #healthy} is false) and updates the Deployment's status.
 */
public final class SimulatedController implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "simulated-controller");
        t.setDaemon(true);
        return t;
    });
    private final SharedIndexInformer<Deployment> informer;
    private final AtomicInteger podSeq = new AtomicInteger();
    /** Whether new pods become Ready. */
    public volatile boolean healthy = true;
    /** The node new pods are scheduled on. */
    public volatile String nodeName = "node-1";

    /**
     * Starts watching the Deployments of this namespace.
     *
     * @param client    a client of the mock server
     * @param namespace the namespace whose Deployments it plays the controllers for
     */
    public SimulatedController(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.informer = client.apps().deployments().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment d) {
                worker.execute(() -> reconcile(d.getMetadata().getName()));
            }

            @Override
            public void onUpdate(Deployment o, Deployment d) {
                worker.execute(() -> reconcile(d.getMetadata().getName()));
            }

            @Override
            public void onDelete(Deployment d, boolean unknown) {
            }
        });
    }

    private void reconcile(String name) {
        try {
            Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
            if (d == null) {
                return;
            }
            long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
            if (d.getStatus() != null && d.getStatus().getObservedGeneration() != null
                    && d.getStatus().getObservedGeneration() >= generation) {
                return;
            }
            var template = Serialization.clone(d.getSpec().getTemplate());
            String hash = Integer.toHexString(Objects.hash(Serialization.asJson(template.getSpec()),
                    template.getMetadata() == null ? null : template.getMetadata().getAnnotations()) & 0x7fffffff);
            List<ReplicaSet> owned = new ArrayList<>();
            for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
                if (rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> o.getUid().equals(d.getMetadata().getUid()))) {
                    owned.add(rs);
                }
            }
            long maxRevision = owned.stream().mapToLong(rs -> Long.parseLong(rs.getMetadata().getAnnotations()
                    .getOrDefault("deployment.kubernetes.io/revision", "0"))).max().orElse(0);
            String rsName = name + "-" + hash;
            String revision = String.valueOf(maxRevision + 1);
            ReplicaSet current = owned.stream().filter(rs -> rs.getMetadata().getName().equals(rsName)).findFirst().orElse(null);
            if (current == null) {
                Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels() == null ? Map.of()
                        : template.getMetadata().getLabels());
                labels.put("pod-template-hash", hash);
                template.getMetadata().setLabels(labels);
                current = client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder()
                        .withNewMetadata().withName(rsName).withLabels(labels)
                        .addToAnnotations("deployment.kubernetes.io/revision", revision)
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                                .withName(name).withUid(d.getMetadata().getUid()).withController(true).build())
                        .endMetadata()
                        .withNewSpec().withReplicas(d.getSpec().getReplicas()).withTemplate(template)
                        .withNewSelector().withMatchLabels(labels).endSelector().endSpec().build()).create();
            } else if (!current.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")
                    .equals(String.valueOf(maxRevision))) {
                // an older ReplicaSet taken back into use gets the next revision, as the real controller does
                current = client.apps().replicaSets().inNamespace(namespace).withName(rsName).edit(rs -> new ReplicaSetBuilder(rs)
                        .editMetadata().addToAnnotations("deployment.kubernetes.io/revision", revision).endMetadata().build());
            }
            String currentRevision = current.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision");
            final ReplicaSet rs = current;
            for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
                var owner = p.getMetadata().getOwnerReferences();
                boolean ofDeployment = owner != null && owner.stream().anyMatch(o -> owned.stream()
                        .anyMatch(x -> x.getMetadata().getUid().equals(o.getUid())) || o.getUid().equals(rs.getMetadata().getUid()));
                if (ofDeployment) {
                    client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).delete();
                }
            }
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            boolean ready = healthy;
            for (int i = 0; i < replicas; i++) {
                var statuses = new ArrayList<ContainerStatus>();
                rs.getSpec().getTemplate().getSpec().getContainers().forEach(c -> statuses.add(new ContainerStatusBuilder()
                        .withName(c.getName()).withImage(c.getImage()).withReady(ready).withRestartCount(0)
                        .withNewState().withNewRunning().endRunning().endState().build()));
                client.pods().inNamespace(namespace).resource(new PodBuilder()
                        .withNewMetadata().withName(rsName + "-" + podSeq.incrementAndGet())
                        .withLabels(rs.getSpec().getTemplate().getMetadata().getLabels())
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                                .withName(rsName).withUid(rs.getMetadata().getUid()).withController(true).build())
                        .endMetadata()
                        .withSpec(Serialization.clone(rs.getSpec().getTemplate().getSpec()))
                        .editSpec().withNodeName(nodeName).endSpec()
                        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                        .withStatus(ready ? "True" : "False").endCondition().withContainerStatuses(statuses).endStatus()
                        .build()).create();
            }
            int available = ready ? replicas : 0;
            client.apps().deployments().inNamespace(namespace).withName(name).edit(x -> {
                if (x.getMetadata().getAnnotations() == null) {
                    x.getMetadata().setAnnotations(new HashMap<>());
                }
                x.getMetadata().getAnnotations().put("deployment.kubernetes.io/revision", currentRevision);
                x.setStatus(new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas)
                        .withUpdatedReplicas(replicas).withReadyReplicas(available).withAvailableReplicas(available).build());
                return x;
            });
        } catch (RuntimeException e) {
            // the next event retries; a conflict with an action is expected now and then
        }
    }

    /** Stops watching. */
    @Override
    public void close() {
        informer.close();
        worker.shutdownNow();
    }
}
