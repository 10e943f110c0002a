package dev.runbook.k8s.internal;

import static dev.runbook.core.action.ParamSpec.optional;
import static dev.runbook.core.action.ParamSpec.withDefault;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.retry.Backoff;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kubectl_drain}: checks the node's pods first (so a refusal changes nothing), cordons the node, then evicts
 * every pod through the Eviction API, so PodDisruptionBudgets are respected: a 429 (the budget allows no disruption
 * now) is retried until {@code timeout}, after {@code retry_interval} at first, then on the project's
 * {@link Backoff} (doubling, jittered, at most {@value #MAX_INTERVALS} intervals, the API server's
 * {@code Retry-After} honoured up to that); an eviction the API server fails for good (HTTP 500, for a pod covered by
 * several PodDisruptionBudgets) is reported as kubectl does and the other pods are still evicted, then the step fails
 * naming it; finally waits (on a watch) for the evicted pods to be gone. Mirror pods are skipped; DaemonSet pods are skipped with {@code ignore_daemonsets} (else refused);
 * pods with emptyDir data need {@code delete_emptydir_data}; pods without a controller need {@code force}. Fails
 * listing the pods left. With {@code skip_wait_for_delete_timeout} (kubectl's {@code --skip-wait-for-delete-timeout}),
 * a pod whose {@code deletionTimestamp} is older than that counts as gone: one already Terminating that long is
 * skipped, and an evicted one stuck Terminating (a NotReady node's kubelet never confirms) stops being waited for.
 */
final class DrainAction extends K8sAction {
    static final String MIRROR = "kubernetes.io/config.mirror";
    /** The longest pause between eviction rounds, in {@code retry_interval}s. */
    static final int MAX_INTERVALS = 6;
    /** The API server's message for a pod several PodDisruptionBudgets cover (an HTTP 500 that never clears). */
    static final String MULTIPLE_PDBS = "more than one PodDisruptionBudget";

    DrainAction(KubernetesClients clients) {
        super(clients, "kubectl_drain", "k8s.drain", "Cordons a node and evicts its pods through the Eviction API (PDBs respected)",
                ParamSchema.of(
                        optional("node", ParamType.STRING, "the node; default the incident's node"),
                        withDefault("ignore_daemonsets", ParamType.BOOLEAN, false, "skip DaemonSet pods instead of refusing"),
                        withDefault("delete_emptydir_data", ParamType.BOOLEAN, false, "evict pods with emptyDir volumes (data lost)"),
                        withDefault("force", ParamType.BOOLEAN, false, "also evict pods no controller will recreate"),
                        withDefault("timeout", ParamType.DURATION, 300L, "how long to keep retrying evictions and waiting"),
                        withDefault("retry_interval", ParamType.DURATION, 5L, "pause between eviction rounds refused by a PDB: "
                                + "jittered between half and all of it, doubling up to " + MAX_INTERVALS + "x; the API server's "
                                + "Retry-After is honoured up to that"),
                        optional("grace_period", ParamType.INTEGER, "seconds each pod gets to stop; default the pod's own"),
                        withDefault("skip_wait_for_delete_timeout", ParamType.DURATION, 0L,
                                "a pod whose deletionTimestamp is older than this counts as gone (kubectl's "
                                        + "--skip-wait-for-delete-timeout); 0, the default, waits for every pod")),
                true);
    }

    @Override
    ActionResult run(ActionContext ctx, KubernetesClient client) throws Exception {
        Target node = CordonAction.nodeTarget(ctx);
        read(client, node);
        boolean ignoreDs = ctx.bool("ignore_daemonsets", false);
        boolean emptyDir = ctx.bool("delete_emptydir_data", false);
        boolean force = ctx.bool("force", false);
        Duration timeout = ctx.duration("timeout");
        Duration interval = ctx.duration("retry_interval");
        Long grace = (Long) ctx.params().get("grace_period");
        if (timeout.isNegative() || timeout.isZero() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("parameters 'timeout' and 'retry_interval' must be positive");
        }
        Duration skipAfter = ctx.duration("skip_wait_for_delete_timeout");
        if (skipAfter.isNegative()) {
            throw new IllegalArgumentException("parameter 'skip_wait_for_delete_timeout' must be 0 (wait for every pod) or "
                    + "positive, got " + skipAfter);
        }
        Clock clock = ctx.clock();
        var toEvict = new ArrayList<Pod>();
        var skipped = new ArrayList<String>();
        var blocked = new ArrayList<String>();
        for (Pod p : client.pods().inAnyNamespace().withField("spec.nodeName", node.name()).list().getItems()) {
            if (p.getSpec() == null || !node.name().equals(p.getSpec().getNodeName())) {
                continue;
            }
            String id = key(p);
            var annotations = Optional.ofNullable(p.getMetadata().getAnnotations()).orElse(Map.of());
            Optional<OwnerReference> controller = Optional.ofNullable(p.getMetadata().getOwnerReferences()).orElse(List.of())
                    .stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst();
            String phase = p.getStatus() == null ? "" : String.valueOf(p.getStatus().getPhase());
            boolean finished = phase.equals("Succeeded") || phase.equals("Failed");
            if (terminatingLongerThan(p, skipAfter, clock)) {
                skipped.add(id + " (Terminating for more than skip_wait_for_delete_timeout " + skipAfter.toSeconds() + "s)");
            } else if (annotations.containsKey(MIRROR)) {
                skipped.add(id + " (mirror pod)");
            } else if (controller.isPresent() && controller.get().getKind().equals("DaemonSet")) {
                if (ignoreDs) {
                    skipped.add(id + " (DaemonSet)");
                } else {
                    blocked.add(id + " is managed by a DaemonSet (set ignore_daemonsets: true)");
                }
            } else if (!finished && controller.isEmpty() && !force) {
                blocked.add(id + " has no controller and would not come back (set force: true)");
            } else if (!finished && hasEmptyDir(p) && !emptyDir) {
                blocked.add(id + " has emptyDir data (set delete_emptydir_data: true)");
            } else {
                toEvict.add(p);
            }
        }
        if (!blocked.isEmpty()) {
            throw ActionException.permanent("kubectl_drain: refusing to drain " + node.describe() + ", nothing was changed: "
                    + String.join("; ", blocked));
        }
        ActionResult cordon = CordonAction.setUnschedulable(ctx, client, node, true);
        var touched = new ArrayList<TouchedResource>(cordon.touched());
        Instant deadline = ctx.clock().instant().plus(ctx.remaining(timeout).compareTo(timeout) < 0 ? ctx.remaining(timeout) : timeout);
        var pending = new LinkedHashMap<String, Pod>();
        toEvict.forEach(p -> pending.put(key(p), p));
        var refusals = new LinkedHashMap<String, String>();
        var failures = new ArrayList<String>();
        var evicted = new ArrayList<Pod>();
        Backoff backoff = new Backoff(interval, 2.0, interval.multipliedBy(MAX_INTERVALS), Backoff.Jitter.EQUAL,
                Integer.MAX_VALUE);
        var jitter = Backoff.seeded(ctx.executionId() + "/" + ctx.stepName() + "/" + ctx.attempt() + "/drain");
        for (int round = 1; ; round++) {
            Optional<Duration> hint = Optional.empty();
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                Evictions.Outcome outcome = Evictions.evict(client, e.getValue(), ctx.dryRun(), grace, ctx.clock(),
                        Duration.between(ctx.clock().instant(), deadline));
                switch (outcome.kind()) {
                    case ACCEPTED -> {
                        it.remove();
                        evicted.add(e.getValue());
                        refusals.remove(e.getKey());
                        touched.add(new TouchedResource("Pod", e.getValue().getMetadata().getNamespace(),
                                e.getValue().getMetadata().getName(), "evicted from node " + node.name()));
                    }
                    case REFUSED -> {
                        refusals.put(e.getKey(), outcome.reason());
                        hint = longer(hint, outcome.retryAfter());
                    }
                    case FAILED -> {
                        // Not retryable (kubectl neither): report it, go on with the other pods, fail at the end.
                        it.remove();
                        refusals.remove(e.getKey());
                        failures.add(e.getKey() + " (" + outcome.reason() + ")");
                        ctx.logger().warn("kubectl_drain: {}", outcome.reason());
                    }
                }
            }
            if (pending.isEmpty() || ctx.cancelled()) {
                break;
            }
            Duration left = Duration.between(ctx.clock().instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            ctx.sleep(backoff.delayBefore(round + 1, hint, jitter, left));
        }
        var left = new ArrayList<String>(failures);
        pending.keySet().forEach(k -> left.add(k + " (" + refusals.getOrDefault(k, "not evicted") + ")"));
        if (!ctx.dryRun() && left.isEmpty()) {
            for (Pod p : evicted) {
                if (!awaitGone(client, p, Duration.between(ctx.clock().instant(), deadline), skipAfter, clock)) {
                    left.add(key(p) + " (evicted but still present)");
                }
            }
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("node", node.name());
        out.put("dry_run", ctx.dryRun());
        out.put("evicted", evicted.stream().map(DrainAction::key).toList());
        out.put("skipped", List.copyOf(skipped));
        out.put("left", List.copyOf(left));
        if (!failures.isEmpty()) {
            throw ActionException.permanent("kubectl_drain: " + node.describe() + " not drained: the API server refused to "
                    + "evict " + failures.size() + " pod(s) (node is cordoned" + (ctx.dryRun() ? " in the dry run" : "")
                    + "; the other pods were evicted); " + left.size() + " pod(s) left: " + String.join(", ", left));
        }
        if (!left.isEmpty()) {
            throw ActionException.retryable("kubectl_drain: " + node.describe() + " not drained within " + timeout.toSeconds()
                    + "s (node is cordoned" + (ctx.dryRun() ? " in the dry run" : "") + "); " + left.size() + " pod(s) left: "
                    + String.join(", ", left));
        }
        return new ActionResult(Optional.of(out), touched, prefix(ctx.dryRun()) + "drained " + node.describe() + ": evicted "
                + evicted.size() + " pod(s)" + (skipped.isEmpty() ? "" : ", skipped " + skipped.size()));
    }

    private static Optional<Duration> longer(Optional<Duration> a, Optional<Duration> b) {
        return a.isEmpty() || (b.isPresent() && b.get().compareTo(a.get()) > 0) ? b : a;
    }

    /**
     * Whether {@code p} is gone within {@code max}: deleted (or replaced by a pod of another uid), or, with a positive
     * {@code skipAfter}, Terminating for longer than that. The wait ends early, at the instant the pod's
     * deletionTimestamp becomes older than {@code skipAfter}, to check again.
     */
    private static boolean awaitGone(KubernetesClient client, Pod p, Duration max, Duration skipAfter, Clock clock)
            throws InterruptedException {
        Instant end = clock.instant().plus(max.isNegative() || max.isZero() ? Duration.ofMillis(1) : max);
        String uid = p.getMetadata().getUid();
        var pod = client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName());
        var future = pod.informOnCondition(pods -> pods.stream().noneMatch(x -> (uid == null
                || uid.equals(x.getMetadata().getUid())) && !terminatingLongerThan(x, skipAfter, clock)));
        try {
            // at most two waits: up to when the pod would count as gone by its deletionTimestamp, then up to the end
            boolean shortened = false;
            for (int round = 0; round < 2 && (round == 0 || shortened); round++) {
                Duration wait = Duration.between(clock.instant(), end);
                Pod current = pod.get();
                if (current == null || (uid != null && !uid.equals(current.getMetadata().getUid()))
                        || terminatingLongerThan(current, skipAfter, clock)) {
                    return true;
                }
                Optional<Instant> skipAt = deletedAt(current).filter(at -> !skipAfter.isZero()).map(at -> at.plus(skipAfter));
                if (round == 0 && skipAt.isPresent() && skipAt.get().isBefore(end)) {
                    wait = Duration.between(clock.instant(), skipAt.get()).plusSeconds(1);
                    shortened = true;
                }
                if (wait.isNegative() || wait.isZero()) {
                    wait = Duration.ofMillis(1);
                }
                try {
                    future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                    return true;
                } catch (TimeoutException e) {
                    // checked again above, then waited on until the end
                }
            }
            Pod last = pod.get();
            return last == null || (uid != null && !uid.equals(last.getMetadata().getUid()))
                    || terminatingLongerThan(last, skipAfter, clock);
        } catch (ExecutionException e) {
            return false;
        } finally {
            future.cancel(true);
        }
    }

    /** kubectl's shouldSkipPod: a positive {@code skipAfter} and a deletionTimestamp older than it. */
    static boolean terminatingLongerThan(Pod p, Duration skipAfter, Clock clock) {
        if (skipAfter.isZero() || skipAfter.isNegative()) {
            return false;
        }
        return deletedAt(p).map(at -> Duration.between(at, clock.instant()).compareTo(skipAfter) > 0).orElse(false);
    }

    private static Optional<Instant> deletedAt(Pod p) {
        String ts = p.getMetadata() == null ? null : p.getMetadata().getDeletionTimestamp();
        if (ts == null || ts.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(ts));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static boolean hasEmptyDir(Pod p) {
        return p.getSpec().getVolumes() != null && p.getSpec().getVolumes().stream().anyMatch(v -> v.getEmptyDir() != null);
    }

    private static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }
}
