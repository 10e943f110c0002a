package dev.runbook.k8s.internal;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.WaitCondition;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** One Kubernetes wait condition; {@link #awaitMet} blocks on an informer until it holds or the time is up. */
public final class ResourceWaitCondition implements WaitCondition {
    /** What is waited for. */
    public enum Type { POD_READY, POD_GONE, DEPLOYMENT_AVAILABLE, NODE_READY }

    private static final long SLICE_MS = 200;
    private final KubernetesClients clients;
    private final Type type;
    private final String name;
    private volatile String observed;
    private volatile boolean failed;

    public ResourceWaitCondition(KubernetesClients clients, Type type, String name) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String description() {
        return switch (type) {
            case POD_READY -> "pod/" + name + " ready";
            case POD_GONE -> "pod/" + name + " gone";
            case DEPLOYMENT_AVAILABLE -> "deployment/" + name + " available";
            case NODE_READY -> "node/" + name + " ready";
        };
    }

    @Override
    public Optional<String> lastObserved() {
        return Optional.ofNullable(observed);
    }

    @Override
    public boolean isMet(ActionContext ctx) throws Exception {
        KubernetesClient client = client(ctx);
        String ns = namespace(ctx);
        return switch (type) {
            case POD_READY -> {
                Pod p = client.pods().inNamespace(ns).withName(name).get();
                yield p != null && podReady(p);
            }
            case POD_GONE -> client.pods().inNamespace(ns).withName(name).get() == null;
            case DEPLOYMENT_AVAILABLE -> {
                Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
                yield d != null && rolledOut(d);
            }
            case NODE_READY -> {
                Node n = client.nodes().withName(name).get();
                yield n != null && nodeReady(n);
            }
        };
    }

    @Override
    public boolean awaitMet(ActionContext ctx, Duration maxWait) throws Exception {
        KubernetesClient client = client(ctx);
        String ns = namespace(ctx);
        long end = System.nanoTime() + maxWait.toNanos();
        return switch (type) {
            case POD_READY -> awaitPodReady(ctx, client, ns, end);
            case POD_GONE -> await(ctx, client.pods().inNamespace(ns).withName(name), l -> {
                observed = l.isEmpty() ? "gone" : "still present" + (deleting(l.get(0)) ? " (terminating)" : "");
                return l.isEmpty();
            }, end).isPresent();
            case DEPLOYMENT_AVAILABLE -> awaitDeployment(ctx, client, ns, name, end);
            case NODE_READY -> await(ctx, client.nodes().withName(name), l -> {
                observed = l.isEmpty() ? "node not found" : "Ready=" + condition(l.get(0).getStatus() == null ? null
                        : l.get(0).getStatus().getConditions(), "Ready");
                return !l.isEmpty() && nodeReady(l.get(0));
            }, end).isPresent();
        };
    }

    /**
     * The pod is ready once its Deployment (if any) has rolled out and the pod is Ready, or has been replaced by that
     * rollout. Checking the rollout first matters: right after a Deployment change the old pod is still Ready.
     */
    private boolean awaitPodReady(ActionContext ctx, KubernetesClient client, String ns, long end) throws Exception {
        Pod now = client.pods().inNamespace(ns).withName(name).get();
        Optional<String> deployment = owningDeployment(client, ns, now)
                .or(() -> ctx.incident().resource().name().equals(name) ? ctx.incident().resource().controller() : Optional.empty());
        if (deployment.isPresent()) {
            if (!awaitDeployment(ctx, client, ns, deployment.get(), end)) {
                return false;
            }
        }
        var seen = new java.util.concurrent.atomic.AtomicReference<Pod>();
        var result = await(ctx, client.pods().inNamespace(ns).withName(name), l -> {
            if (l.isEmpty()) {
                observed = "pod gone";
                return true;
            }
            Pod p = l.get(0);
            seen.set(p);
            observed = podState(p);
            return podReady(p) || deleting(p);
        }, end);
        if (result.isEmpty()) {
            return false;
        }
        Pod last = result.get().isEmpty() ? null : result.get().get(0);
        if (last != null && podReady(last) && !deleting(last)) {
            return true;
        }
        if (deployment.isEmpty()) {
            throw ActionException.permanent("pod " + ns + "/" + name + " is gone and no Deployment owns it, so no replacement "
                    + "can become ready; wait for pod/" + name + " gone, or for a deployment, instead");
        }
        // replaced by the rollout (its replacement has another name): the rollout being complete is what counts
        observed = "pod " + name + " replaced; waiting for deployment/" + deployment.get();
        return awaitDeployment(ctx, client, ns, deployment.get(), end);
    }

    private boolean awaitDeployment(ActionContext ctx, KubernetesClient client, String ns, String deployment, long end)
            throws Exception {
        failed = false;
        var r = await(ctx, client.apps().deployments().inNamespace(ns).withName(deployment), l -> {
            if (l.isEmpty()) {
                observed = "deployment/" + deployment + " not found";
                return false;
            }
            Deployment d = l.get(0);
            observed = "deployment/" + deployment + ": " + rolloutState(d);
            if ("ProgressDeadlineExceeded".equals(reason(d))) {
                failed = true;
                return true;
            }
            return rolledOut(d);
        }, end);
        if (failed) {
            throw ActionException.permanent("deployment " + ns + "/" + deployment + " exceeded its progress deadline: " + observed);
        }
        return r.isPresent();
    }

    private <T extends HasMetadata> Optional<List<T>> await(ActionContext ctx, Informable<T> target, Predicate<List<T>> met,
                                                           long endNanos) throws InterruptedException {
        CompletableFuture<List<T>> f = target.informOnCondition(met);
        try {
            while (true) {
                if (ctx.cancelled()) {
                    throw new InterruptedException("cancelled while waiting for " + description());
                }
                long leftMs = TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime());
                try {
                    return Optional.of(f.get(Math.max(1, Math.min(SLICE_MS, leftMs)), TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    if (leftMs <= SLICE_MS) {
                        return Optional.empty();
                    }
                } catch (ExecutionException e) {
                    observed = "watch failed: " + e.getCause();
                    return Optional.empty();
                }
            }
        } finally {
            f.cancel(true);
        }
    }

    private static Optional<String> owningDeployment(KubernetesClient client, String ns, Pod pod) {
        if (pod == null) {
            return Optional.empty();
        }
        Optional<OwnerReference> rsRef = controllerOf(pod).filter(o -> o.getKind().equals("ReplicaSet"));
        if (rsRef.isEmpty()) {
            return Optional.empty();
        }
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).withName(rsRef.get().getName()).get();
        return rs == null ? Optional.empty()
                : controllerOf(rs).filter(o -> o.getKind().equals("Deployment")).map(OwnerReference::getName);
    }

    static Optional<OwnerReference> controllerOf(HasMetadata o) {
        return Optional.ofNullable(o.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
                .filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    static boolean podReady(Pod p) {
        return p.getStatus() != null && "True".equals(condition(p.getStatus().getConditions(), "Ready"));
    }

    private static boolean deleting(HasMetadata o) {
        return o.getMetadata().getDeletionTimestamp() != null;
    }

    private static String podState(Pod p) {
        if (p.getStatus() == null) {
            return "no status yet";
        }
        long ready = p.getStatus().getContainerStatuses() == null ? 0
                : p.getStatus().getContainerStatuses().stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count();
        int total = p.getSpec() == null || p.getSpec().getContainers() == null ? 0 : p.getSpec().getContainers().size();
        return "phase " + p.getStatus().getPhase() + ", " + ready + "/" + total + " containers ready"
                + (deleting(p) ? ", terminating" : "");
    }

    static boolean nodeReady(Node n) {
        return n.getStatus() != null && "True".equals(condition(n.getStatus().getConditions(), "Ready"));
    }

    private static String condition(List<?> conditions, String type) {
        if (conditions == null) {
            return "Unknown";
        }
        for (Object c : conditions) {
            if (c instanceof io.fabric8.kubernetes.api.model.PodCondition pc && type.equals(pc.getType())) {
                return pc.getStatus();
            }
            if (c instanceof io.fabric8.kubernetes.api.model.NodeCondition nc && type.equals(nc.getType())) {
                return nc.getStatus();
            }
        }
        return "Unknown";
    }

    /** Rollout complete as {@code kubectl rollout status} decides it. */
    static boolean rolledOut(Deployment d) {
        var st = d.getStatus();
        if (st == null || d.getSpec() == null) {
            return false;
        }
        long generation = Optional.ofNullable(d.getMetadata().getGeneration()).orElse(0L);
        long observedGen = Optional.ofNullable(st.getObservedGeneration()).orElse(0L);
        int want = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
        int updated = Optional.ofNullable(st.getUpdatedReplicas()).orElse(0);
        int total = Optional.ofNullable(st.getReplicas()).orElse(0);
        int available = Optional.ofNullable(st.getAvailableReplicas()).orElse(0);
        return observedGen >= generation && updated >= want && total <= updated && available >= updated;
    }

    private static String rolloutState(Deployment d) {
        var st = d.getStatus();
        if (st == null) {
            return "no status yet";
        }
        return "generation " + d.getMetadata().getGeneration() + " observed " + st.getObservedGeneration() + ", updated "
                + st.getUpdatedReplicas() + ", available " + st.getAvailableReplicas() + " of "
                + (d.getSpec() == null ? "?" : d.getSpec().getReplicas());
    }

    private static String reason(Deployment d) {
        if (d.getStatus() == null || d.getStatus().getConditions() == null) {
            return "";
        }
        return d.getStatus().getConditions().stream().filter(c -> "Progressing".equals(c.getType()))
                .map(c -> String.valueOf(c.getReason())).findFirst().orElse("");
    }

    private KubernetesClient client(ActionContext ctx) throws ActionException {
        try {
            return clients.forCluster(ctx.incident().cluster());
        } catch (IllegalArgumentException e) {
            throw new ActionException("wait for " + description() + ": " + e.getMessage(), false, e);
        }
    }

    private static String namespace(ActionContext ctx) {
        String ns = ctx.incident().resource().namespace();
        return ns.isBlank() ? "default" : ns;
    }
}
