package dev.runbook.k8s.internal;

import static dev.runbook.core.action.ParamSpec.optional;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.util.List;
import java.util.Optional;

/** {@code kubectl_delete_pod}: deletes one pod (its controller replaces it); a pod already gone is not an error. */
final class DeletePodAction extends K8sAction {

    DeletePodAction(KubernetesClients clients) {
        super(clients, "kubectl_delete_pod", "k8s.delete_pod", "Deletes a pod so that its controller replaces it",
                ParamSchema.of(
                        optional("name", ParamType.STRING, "the pod; default the incident's pod"),
                        optional("namespace", ParamType.STRING, "namespace; default the incident's, else default"),
                        optional("grace_period", ParamType.INTEGER, "seconds the pod gets to stop; default the pod's own")),
                true);
    }

    @Override
    java.util.Optional<java.util.Map.Entry<String, Boolean>> targetDefaults() {
        return java.util.Optional.of(new java.util.AbstractMap.SimpleEntry<>("pod", true));
    }

    @Override
    ActionResult run(ActionContext ctx, KubernetesClient client) throws Exception {
        Target t = target(ctx, "pod", true);
        var pod = client.pods().inNamespace(t.namespace()).withName(t.name());
        Pod existing = pod.get();
        var out = output(t, ctx.dryRun());
        if (existing == null) {
            out.put("deleted", false);
            return new ActionResult(Optional.of(out), List.of(), t.describe() + " already gone");
        }
        Long grace = (Long) ctx.params().get("grace_period");
        if (grace != null && grace < 0) {
            throw new IllegalArgumentException("parameter 'grace_period' must not be negative, got " + grace);
        }
        PodResource op = pod;
        if (grace != null) {
            // fabric8's grace-period view is the same PodResource implementation; its interface type just hides dryRun
            if (!(pod.withGracePeriod(grace) instanceof PodResource withGrace)) {
                throw new IllegalStateException("this fabric8 version cannot combine grace_period with dry run");
            }
            op = withGrace;
        }
        op.dryRun(ctx.dryRun()).delete();
        out.put("deleted", true);
        return new ActionResult(Optional.of(out), List.of(t.touched("deleted")), prefix(ctx.dryRun()) + "deleted " + t.describe());
    }
}
