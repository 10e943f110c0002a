package dev.runbook.k8s.internal;

import static dev.runbook.core.action.ParamSpec.optional;
import static dev.runbook.core.action.ParamSpec.required;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.model.Safety;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubectl_scale}: sets {@code spec.replicas}, refusing counts outside the step's {@code min}/{@code max} and the
 * runbook's {@code safety.replicas} bounds. The JSON patch carries the resourceVersion read, so a concurrent change
 * conflicts and the scale is redone on fresh data.
 */
final class ScaleAction extends K8sAction {

    ScaleAction(KubernetesClients clients) {
        super(clients, "kubectl_scale", "k8s.scale", "Scales a Deployment, StatefulSet or ReplicaSet within replica bounds",
                ParamSchema.of(
                        optional("resource", ParamType.STRING, "deployment/NAME (also statefulset/, replicaset/)"),
                        optional("kind", ParamType.STRING, "kind, when resource is not given; default deployment"),
                        optional("name", ParamType.STRING, "name; default the incident's controller"),
                        optional("namespace", ParamType.STRING, "namespace; default the incident's, else default"),
                        required("replicas", ParamType.INTEGER, "the replica count wanted"),
                        optional("min", ParamType.INTEGER, "lowest count allowed"),
                        optional("max", ParamType.INTEGER, "highest count allowed")),
                true);
    }

    @Override
    java.util.Optional<java.util.Map.Entry<String, Boolean>> targetDefaults() {
        return java.util.Optional.of(new java.util.AbstractMap.SimpleEntry<>("deployment", true));
    }

    @Override
    ActionResult run(ActionContext ctx, KubernetesClient client) throws Exception {
        Target t = target(ctx, "deployment", true);
        if (!List.of("Deployment", "StatefulSet", "ReplicaSet").contains(t.kind().kind())) {
            throw new IllegalArgumentException("parameter 'resource': scale works on deployments, statefulsets and replicasets, "
                    + "not " + t.kind().kind());
        }
        long replicas = ctx.integer("replicas");
        checkBounds(ctx, replicas);
        return retryingConflicts(ctx, "scale of " + t.describe(), () -> {
            GenericKubernetesResource current = read(client, t);
            Object spec = current.getAdditionalProperties().get("spec");
            Object before = spec instanceof Map<?, ?> m ? Objects2.plain(m.get("replicas")) : null;
            var out = output(t, ctx.dryRun());
            out.put("replicas_before", before);
            out.put("replicas", replicas);
            if (before instanceof Long b && b == replicas) {
                return new ActionResult(Optional.of(out), List.of(), t.describe() + " already has " + replicas + " replicas");
            }
            var ops = List.of(
                    Map.of("op", "replace", "path", "/metadata/resourceVersion", "value",
                            current.getMetadata().getResourceVersion()),
                    Map.of("op", before == null ? "add" : "replace", "path", "/spec/replicas", "value", replicas));
            t.on(client).patch(patchContext(PatchType.JSON, ctx.dryRun()), Objects2.json(ops));
            String change = "replicas " + (before == null ? "(none)" : before) + " -> " + replicas;
            return new ActionResult(Optional.of(out), List.of(t.touched("scaled: " + change)),
                    prefix(ctx.dryRun()) + "scaled " + t.describe() + ": " + change);
        });
    }

    private static void checkBounds(ActionContext ctx, long replicas) throws ActionException {
        if (replicas < 0) {
            throw ActionException.permanent("kubectl_scale: parameter 'replicas' must not be negative, got " + replicas);
        }
        Optional<Long> min = Optional.ofNullable((Long) ctx.params().get("min"));
        Optional<Long> max = Optional.ofNullable((Long) ctx.params().get("max"));
        if (min.isPresent() && replicas < min.get() || max.isPresent() && replicas > max.get()) {
            throw ActionException.permanent("kubectl_scale: replicas " + replicas + " is outside the step's bounds "
                    + min.map(String::valueOf).orElse("0") + ".." + max.map(String::valueOf).orElse("unbounded")
                    + " (parameters 'min'/'max')");
        }
        Optional<Safety.ReplicaBounds> bounds = ctx.runbook().safety().replicas();
        if (bounds.isPresent() && !bounds.get().contains((int) Math.min(replicas, Integer.MAX_VALUE))) {
            throw ActionException.permanent("kubectl_scale: replicas " + replicas + " is outside the runbook's safety.replicas "
                    + "bounds " + bounds.get().min() + ".." + bounds.get().max());
        }
    }
}
