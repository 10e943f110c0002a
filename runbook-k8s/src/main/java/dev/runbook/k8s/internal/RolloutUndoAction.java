package dev.runbook.k8s.internal;

import static dev.runbook.core.action.ParamSpec.optional;
import static dev.runbook.core.action.ParamSpec.withDefault;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code kubectl_rollout_undo}: rolls a Deployment back to its previous revision, or to {@code to_revision}, as kubectl
 * (the previous revision's ReplicaSet is fixed at the first attempt, so retries are safe)
 * does: the ReplicaSets the Deployment owns carry the revisions ({@code deployment.kubernetes.io/revision}); the
 * chosen one's pod template (without {@code pod-template-hash}) replaces the Deployment's and its annotations replace the
 * Deployment's except the bookkeeping ones ({@link #ANNOTATIONS_KEPT}), in a JSON patch that also
 * carries the resourceVersion read, so a concurrent change makes it conflict and be redone on fresh data. As kubectl, a
 * paused Deployment ({@code spec.paused: true}) is refused: resume it first.
 */
final class RolloutUndoAction extends K8sAction {
    static final String REVISION = "deployment.kubernetes.io/revision";
    /**
     * The annotations a rollback leaves as the Deployment has them, the others coming from the revision's ReplicaSet:
     * kubectl's rollback skip list (its {@code annotationsToSkip}), the controller's bookkeeping and the client-side
     * apply record.
     */
    static final Set<String> ANNOTATIONS_KEPT = Set.of("kubectl.kubernetes.io/last-applied-configuration", REVISION,
            "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
            "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to");

    RolloutUndoAction(KubernetesClients clients) {
        super(clients, "kubectl_rollout_undo", "k8s.rollout_undo",
                "Rolls a Deployment back to its previous revision (or to_revision) through its ReplicaSets",
                ParamSchema.of(
                        optional("resource", ParamType.STRING, "deployment/NAME"),
                        optional("kind", ParamType.STRING, "kind, when resource is not given; default deployment"),
                        optional("name", ParamType.STRING, "name; default the incident's controller"),
                        optional("namespace", ParamType.STRING, "namespace; default the incident's, else default"),
                        withDefault("to_revision", ParamType.INTEGER, 0L, "revision to go back to; 0 means the previous one")),
                true);
    }

    @Override
    java.util.Optional<java.util.Map.Entry<String, Boolean>> targetDefaults() {
        return java.util.Optional.of(new java.util.AbstractMap.SimpleEntry<>("deployment", true));
    }

    @Override
    @SuppressWarnings("unchecked")
    ActionResult run(ActionContext ctx, KubernetesClient client) throws Exception {
        Target t = target(ctx, "deployment", true);
        if (!t.kind().kind().equals("Deployment")) {
            throw new IllegalArgumentException("parameter 'resource': rollout undo works on deployments, not " + t.kind().kind());
        }
        long toRevision = ctx.integer("to_revision");
        if (toRevision < 0) {
            throw new IllegalArgumentException("parameter 'to_revision' must be 0 (previous) or a revision, got " + toRevision);
        }
        return retryingConflicts(ctx, "rollout undo of " + t.describe(), () -> {
            GenericKubernetesResource deployment = read(client, t);
            if (paused(deployment)) {
                throw ActionException.permanent("kubectl_rollout_undo: you cannot roll back paused " + t.describe()
                        + " (spec.paused is true), nothing was changed; resume it first (kubectl rollout resume deployment/"
                        + t.name() + ") and try again");
            }
            String uid = deployment.getMetadata().getUid();
            long current = revision(deployment.getMetadata().getAnnotations());
            var byRevision = new TreeMap<Long, ReplicaSet>();
            for (ReplicaSet rs : client.apps().replicaSets().inNamespace(t.namespace()).list().getItems()) {
                boolean owned = rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> uid != null && uid.equals(o.getUid()));
                long rev = revision(rs.getMetadata().getAnnotations());
                if (owned && rev > 0) {
                    byRevision.put(rev, rs);
                }
            }
            if (current == 0 && !byRevision.isEmpty()) {
                current = byRevision.lastKey();
            }
            long target;
            if (toRevision == 0) {
                Long previous = byRevision.lowerKey(current);
                // "The previous revision" is chosen once, at the first attempt, by its ReplicaSet: a retry after an
                // undo that applied would otherwise see the restored revision renumbered as the newest, and flip
                // back to the bad one.
                String pinned = ctx.fixedAtFirstAttempt("previous_replicaset",
                        () -> previous == null ? "" : byRevision.get(previous).getMetadata().getName());
                Long chosen = byRevision.entrySet().stream()
                        .filter(e -> e.getValue().getMetadata().getName().equals(pinned)).map(Map.Entry::getKey)
                        .findFirst().orElse(null);
                if (chosen == null) {
                    throw ActionException.permanent("kubectl_rollout_undo: " + t.describe() + " has no previous revision "
                            + (pinned.isEmpty() ? "" : "(ReplicaSet " + pinned + " chosen at the first attempt is gone) ")
                            + "(revisions found: " + (byRevision.isEmpty() ? "none" : byRevision.keySet()) + ")");
                }
                target = chosen;
            } else {
                if (!byRevision.containsKey(toRevision)) {
                    throw ActionException.permanent("kubectl_rollout_undo: " + t.describe() + " has no revision " + toRevision
                            + " (revisions found: " + (byRevision.isEmpty() ? "none" : byRevision.keySet()) + ")");
                }
                target = toRevision;
            }
            Map<String, Object> before = Objects2.toMap(deployment);
            Map<String, Object> template = new LinkedHashMap<>(Objects2.toMap(byRevision.get(target).getSpec().getTemplate()));
            if (template.get("metadata") instanceof Map<?, ?> meta) {
                var m = new LinkedHashMap<>((Map<String, Object>) meta);
                if (m.get("labels") instanceof Map<?, ?> labels) {
                    var l = new LinkedHashMap<>((Map<String, Object>) labels);
                    l.remove("pod-template-hash");
                    m.put("labels", l);
                }
                template.put("metadata", m);
            }
            var out = output(t, ctx.dryRun());
            out.put("from_revision", current);
            out.put("to_revision", target);
            Object currentTemplate = ((Map<String, Object>) before.getOrDefault("spec", Map.of())).get("template");
            if (Objects2.diff(Map.of("t", template), currentTemplate == null ? Map.of() : Map.of("t", currentTemplate)).isEmpty()) {
                out.put("changes", List.of());
                return new ActionResult(Optional.of(out), List.of(), "skipped rollback of " + t.describe()
                        + ": its template already matches revision " + target);
            }
            var ops = new ArrayList<Map<String, Object>>();
            ops.add(Map.of("op", "replace", "path", "/metadata/resourceVersion",
                    "value", deployment.getMetadata().getResourceVersion()));
            ops.add(Map.of("op", "replace", "path", "/spec/template", "value", template));
            // "add" replaces the member when present and creates it when the Deployment has no annotations
            ops.add(Map.of("op", "add", "path", "/metadata/annotations",
                    "value", rolledBackAnnotations(deployment.getMetadata().getAnnotations(),
                            byRevision.get(target).getMetadata().getAnnotations())));
            GenericKubernetesResource after = t.on(client).patch(patchContext(PatchType.JSON, ctx.dryRun()), Objects2.json(ops));
            List<Objects2.Change> changes = Objects2.diff(before, Objects2.toMap(after));
            out.put("changes", changes.stream().map(Objects2.Change::text).toList());
            String change = "rolled back to revision " + target + ": " + Objects2.summarize(changes);
            return new ActionResult(Optional.of(out), List.of(t.touched(change)),
                    prefix(ctx.dryRun()) + "rolled back " + t.describe() + " to revision " + target + ": "
                            + Objects2.summarize(changes));
        });
    }

    /**
     * The Deployment's annotations after a rollback, as kubectl computes them: its own {@link #ANNOTATIONS_KEPT}, plus
     * every other annotation of the revision's ReplicaSet (so one the revision lacks is removed).
     */
    static Map<String, String> rolledBackAnnotations(Map<String, String> deployment, Map<String, String> replicaSet) {
        var out = new TreeMap<String, String>();
        Optional.ofNullable(deployment).orElse(Map.of()).forEach((k, v) -> {
            if (ANNOTATIONS_KEPT.contains(k)) {
                out.put(k, v);
            }
        });
        Optional.ofNullable(replicaSet).orElse(Map.of()).forEach((k, v) -> {
            if (!ANNOTATIONS_KEPT.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    static long revision(Map<String, String> annotations) {
        if (annotations == null || annotations.get(REVISION) == null) {
            return 0;
        }
        try {
            return Long.parseLong(annotations.get(REVISION).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
