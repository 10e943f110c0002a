package dev.runbook.k8s;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.k8s.internal.ProblemDetector;
import dev.runbook.k8s.internal.ProblemDetector.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a cluster shows into incidents, for hosts without their own root-cause analysis: informers on pods and
 * nodes report OOMKilled (a container's last state terminated with that reason and not ready again),
 * CrashLoopBackOff, ImagePullBackOff/ErrImagePull and NodeNotReady. Each incident names the resource, its controller
 * (owner references walked through the ReplicaSet to the Deployment) and the container.
 *
 * <p>One incident per problem: a problem (pod uid, container, reason) is reported once and not again on resyncs or
 * restarts until it clears (the container is ready again, the node Ready, the pod deleted).
 */
public final class KubernetesIncidentSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesIncidentSource.class);

    private final KubernetesClient client;
    private final Consumer<Incident> sink;
    private final Optional<String> namespace;
    private final Optional<String> cluster;
    private final Clock clock;
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> keysByUid = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    private KubernetesIncidentSource(Builder b) {
        this.client = b.client;
        this.sink = b.sink;
        this.namespace = Optional.ofNullable(b.namespace);
        this.cluster = Optional.ofNullable(b.cluster);
        this.clock = b.clock;
    }

    /** A source reading this client's cluster and delivering incidents to {@code sink}. */
    public static Builder builder(KubernetesClient client, Consumer<Incident> sink) {
        return new Builder(client, sink);
    }

    /** Starts the informers (pods in the namespace or all namespaces, nodes unless limited to a namespace). */
    public synchronized KubernetesIncidentSource start() {
        if (!informers.isEmpty()) {
            throw new IllegalStateException("incident source already started");
        }
        var pods = namespace.isPresent() ? client.pods().inNamespace(namespace.get()) : client.pods().inAnyNamespace();
        informers.add(pods.inform(handler(this::onPod, this::forget)));
        if (namespace.isEmpty()) {
            informers.add(client.nodes().inform(handler(this::onNode, this::forget)));
        }
        return this;
    }

    /** Keys of the problems reported and not yet cleared, {@code uid/container/reason}. */
    public Set<String> activeProblems() {
        return Set.copyOf(active);
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> seen, Consumer<T> deleted) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                seen.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                seen.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean unknownFinalState) {
                deleted.accept(obj);
            }
        };
    }

    private void onPod(Pod pod) {
        List<Problem> problems = ProblemDetector.problems(pod);
        reconcile(pod, problems, p -> {
            var meta = pod.getMetadata();
            var ref = new ResourceRef("Pod", meta.getName(), meta.getNamespace(), Optional.ofNullable(meta.getUid()),
                    controllerOf(pod), p.containerName());
            return ref;
        });
    }

    private void onNode(Node node) {
        reconcile(node, ProblemDetector.problems(node), p -> new ResourceRef("Node", node.getMetadata().getName(), "",
                Optional.ofNullable(node.getMetadata().getUid()), Optional.empty(), Optional.empty()));
    }

    private void reconcile(HasMetadata obj, List<Problem> problems, java.util.function.Function<Problem, ResourceRef> ref) {
        String uid = String.valueOf(obj.getMetadata().getUid());
        var now = new HashSet<String>();
        for (Problem p : problems) {
            now.add(p.key());
            if (active.add(p.key())) {
                keysByUid.computeIfAbsent(uid, u -> ConcurrentHashMap.newKeySet()).add(p.key());
                deliver(p, ref.apply(p), obj);
            }
        }
        Set<String> known = keysByUid.get(uid);
        if (known != null) {
            for (String k : Set.copyOf(known)) {
                if (!now.contains(k)) {
                    known.remove(k);
                    active.remove(k);
                    LOG.debug("problem {} cleared", k);
                }
            }
        }
    }

    private void forget(HasMetadata obj) {
        Set<String> keys = keysByUid.remove(String.valueOf(obj.getMetadata().getUid()));
        if (keys != null) {
            active.removeAll(keys);
        }
    }

    private void deliver(Problem p, ResourceRef resource, HasMetadata obj) {
        var now = clock.instant();
        var b = Incident.builder("k8s-" + p.key().replace('/', '-') + "-" + now.toEpochMilli())
                .symptomReason(p.symptom()).rootCause(p.rootCause(), p.confidence()).resource(resource)
                .eventTime(now).attribute("detail", p.detail()).attribute("source", "kubernetes-incident-source");
        if (obj.getMetadata().getLabels() != null) {
            b.labels(obj.getMetadata().getLabels());
        }
        cluster.ifPresent(b::cluster);
        try {
            sink.accept(b.build());
        } catch (RuntimeException e) {
            LOG.warn("the incident consumer failed on {}: {}", p.key(), e.toString());
        }
    }

    private Optional<String> controllerOf(Pod pod) {
        Optional<OwnerReference> owner = controller(pod);
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        if (!owner.get().getKind().equals("ReplicaSet")) {
            return Optional.of(owner.get().getName());
        }
        try {
            ReplicaSet rs = client.apps().replicaSets().inNamespace(pod.getMetadata().getNamespace())
                    .withName(owner.get().getName()).get();
            if (rs != null) {
                Optional<OwnerReference> dep = controller(rs);
                if (dep.isPresent()) {
                    return Optional.of(dep.get().getName());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot read ReplicaSet {}: {}", owner.get().getName(), e.toString());
        }
        return Optional.of(owner.get().getName());
    }

    private static Optional<OwnerReference> controller(HasMetadata o) {
        return Optional.ofNullable(o.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
                .filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    /** Stops the informers. */
    @Override
    public synchronized void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    /** Builds a {@link KubernetesIncidentSource}. */
    public static final class Builder {
        private final KubernetesClient client;
        private final Consumer<Incident> sink;
        private String namespace;
        private String cluster;
        private Clock clock = Clock.systemUTC();

        private Builder(KubernetesClient client, Consumer<Incident> sink) {
            this.client = Objects.requireNonNull(client, "client");
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** Watch only this namespace (nodes are then not watched). */
        public Builder namespace(String ns) {
            if (Objects.requireNonNull(ns, "namespace").isBlank()) {
                throw new IllegalArgumentException("namespace must not be blank");
            }
            this.namespace = ns;
            return this;
        }

        /** The cluster name put on every incident (so runbooks act on the right cluster). */
        public Builder cluster(String name) {
            if (Objects.requireNonNull(name, "cluster").isBlank()) {
                throw new IllegalArgumentException("cluster must not be blank");
            }
            this.cluster = name;
            return this;
        }

        /** The clock for event times and incident ids. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The source, not started. */
        public KubernetesIncidentSource build() {
            return new KubernetesIncidentSource(this);
        }
    }
}
