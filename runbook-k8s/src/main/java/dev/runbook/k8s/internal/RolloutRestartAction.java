package dev.runbook.k8s.internal;

import static dev.runbook.core.action.ParamSpec.optional;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubectl_rollout_restart}: sets the pod template's {@code kubectl.kubernetes.io/restartedAt} annotation
 * (the engine clock's time), which makes the controller replace every pod, as kubectl does. As kubectl, a paused
 * Deployment ({@code spec.paused: true}) is refused, since its controller would not roll the change out.
 */
final class RolloutRestartAction extends K8sAction {
    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

    RolloutRestartAction(KubernetesClients clients) {
        super(clients, "kubectl_rollout_restart", "k8s.rollout_restart",
                "Restarts the pods of a Deployment, StatefulSet or DaemonSet (rollout restart)",
                ParamSchema.of(
                        optional("resource", ParamType.STRING, "deployment/NAME (also statefulset/, daemonset/)"),
                        optional("kind", ParamType.STRING, "kind, when resource is not given; default deployment"),
                        optional("name", ParamType.STRING, "name; default the incident's controller"),
                        optional("namespace", ParamType.STRING, "namespace; default the incident's, else default")),
                true);
    }

    @Override
    java.util.Optional<java.util.Map.Entry<String, Boolean>> targetDefaults() {
        return java.util.Optional.of(new java.util.AbstractMap.SimpleEntry<>("deployment", true));
    }

    @Override
    ActionResult run(ActionContext ctx, KubernetesClient client) throws Exception {
        Target t = target(ctx, "deployment", true);
        if (!List.of("Deployment", "StatefulSet", "DaemonSet").contains(t.kind().kind())) {
            throw new IllegalArgumentException("parameter 'resource': rollout restart works on deployments, statefulsets and "
                    + "daemonsets, not " + t.kind().kind());
        }
        GenericKubernetesResource live = read(client, t);
        if (t.kind().kind().equals("Deployment") && K8sAction.paused(live)) {
            throw ActionException.permanent("kubectl_rollout_restart: can't restart paused " + t.describe()
                    + " (spec.paused is true), nothing was changed; run rollout resume first (kubectl rollout resume "
                    + "deployment/" + t.name() + ")");
        }
        String at = Instant.now(ctx.clock()).truncatedTo(ChronoUnit.SECONDS).toString();
        // a merge patch: it only sets one annotation, so merge and strategic merge mean the same here
        Map<String, Object> patch = Map.of("spec", Map.of("template", Map.of("metadata",
                Map.of("annotations", Map.of(RESTARTED_AT, at)))));
        t.on(client).patch(patchContext(PatchType.JSON_MERGE, ctx.dryRun()), Objects2.json(patch));
        var out = output(t, ctx.dryRun());
        out.put("restarted_at", at);
        return new ActionResult(Optional.of(out), List.of(t.touched("rollout restart at " + at)),
                prefix(ctx.dryRun()) + "restarted " + t.describe() + " (restartedAt " + at + ")");
    }
}
