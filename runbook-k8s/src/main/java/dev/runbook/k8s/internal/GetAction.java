package dev.runbook.k8s.internal;

import static dev.runbook.core.action.ParamSpec.optional;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/** {@code kubectl_get}: reads one object, or one field of it in the seed's path syntax. */
final class GetAction extends K8sAction {

    GetAction(KubernetesClients clients) {
        super(clients, "kubectl_get", "k8s.get", "Reads a Kubernetes object, or one field of it (spec.containers[name=app].image)",
                ParamSchema.of(
                        optional("resource", ParamType.STRING, "kind, or kind/name as kubectl takes it: pod, deployment/web"),
                        optional("kind", ParamType.STRING, "kind, when resource is not given"),
                        optional("name", ParamType.STRING, "object name (or give resource: kind/name)"),
                        optional("namespace", ParamType.STRING, "namespace; default the incident's, else default"),
                        optional("field", ParamType.STRING,
                                "path of the value to return, spec.containers[0].resources.limits.memory or [name=app]"),
                        optional("default", ParamType.ANY, "value returned when the field is absent (else the step fails)")),
                false);
    }

    @Override
    ActionResult run(ActionContext ctx, KubernetesClient client) throws Exception {
        Target t = target(ctx, null, false);
        Optional<FieldPath> field = ctx.optionalString("field").map(FieldPath::parse);
        Map<String, Object> object = Objects2.toMap(read(client, t));
        if (field.isEmpty()) {
            return ActionResult.of(object);
        }
        Optional<Object> value = field.get().read(object);
        if (value.isPresent()) {
            return ActionResult.of(value.get());
        }
        Object fallback = ctx.params().get("default");
        if (fallback != null) {
            return ActionResult.of(fallback);
        }
        throw ActionException.permanent("kubectl_get: field '" + field.get() + "' is not set on " + t.describe()
                + " (parameter 'field'); give parameter 'default' to use a value when it is absent");
    }
}
