package dev.runbook.k8s.internal;

import static dev.runbook.core.action.ParamSpec.optional;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code kubectl_cordon} / {@code kubectl_uncordon}: marks a node (un)schedulable. */
final class CordonAction extends K8sAction {
    private final boolean cordon;

    CordonAction(KubernetesClients clients, boolean cordon) {
        super(clients, cordon ? "kubectl_cordon" : "kubectl_uncordon", cordon ? "k8s.cordon" : "k8s.uncordon",
                cordon ? "Marks a node unschedulable" : "Marks a node schedulable again",
                ParamSchema.of(optional("node", ParamType.STRING, "the node; default the incident's node")),
                true);
        this.cordon = cordon;
    }

    @Override
    ActionResult run(ActionContext ctx, KubernetesClient client) throws Exception {
        Target t = nodeTarget(ctx);
        return setUnschedulable(ctx, client, t, cordon);
    }

    static Target nodeTarget(ActionContext ctx) {
        Optional<String> node = ctx.optionalString("node").filter(s -> !s.isBlank());
        var r = ctx.incident().resource();
        String name = node.or(() -> Optional.of(r.name()).filter(n -> "Node".equalsIgnoreCase(r.kind()))).orElseThrow(() ->
                new IllegalArgumentException("parameter 'node' is missing (the incident is about a " + r.kind()
                        + ", not a Node)"));
        return new Target(Kind.require("node", "node"), "", name);
    }

    static ActionResult setUnschedulable(ActionContext ctx, KubernetesClient client, Target t, boolean value)
            throws Exception {
        GenericKubernetesResource node = read(client, t);
        Object spec = node.getAdditionalProperties().get("spec");
        boolean now = spec instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("unschedulable"));
        String verb = value ? "cordoned" : "uncordoned";
        var out = output(t, ctx.dryRun());
        out.put("unschedulable", value);
        out.put("changed", now != value);
        if (now == value) {
            return new ActionResult(Optional.of(out), List.of(), t.describe() + " already " + verb);
        }
        t.on(client).patch(patchContext(PatchType.JSON_MERGE, ctx.dryRun()),
                Objects2.json(Map.of("spec", Map.of("unschedulable", value))));
        return new ActionResult(Optional.of(out), List.of(t.touched(verb)), prefix(ctx.dryRun()) + verb + " " + t.describe());
    }
}
