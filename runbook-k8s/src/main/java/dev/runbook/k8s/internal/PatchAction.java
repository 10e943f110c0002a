package dev.runbook.k8s.internal;

import static dev.runbook.core.action.ParamSpec.optional;
import static dev.runbook.core.action.ParamSpec.required;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubectl_patch}: a strategic merge patch by default (as {@code kubectl patch} sends for built-in kinds:
 * a patch of one container, keyed by its name, keeps the other containers and the container's other fields),
 * a JSON merge patch ({@code type: merge}) or a JSON patch ({@code type: json}, a list of operations) on request.
 * The patch is a tree (the YAML loader parses {@code patch: |} and the engine renders it leaf by leaf) and is
 * serialised by Jackson, never spliced into text.
 */
final class PatchAction extends K8sAction {

    PatchAction(KubernetesClients clients) {
        super(clients, "kubectl_patch", "k8s.patch", "Patches a Kubernetes object (strategic merge by default, or merge / json)",
                ParamSchema.of(
                        optional("resource", ParamType.STRING, "kind, or kind/name: deployment/web"),
                        optional("kind", ParamType.STRING, "kind, when resource is not given"),
                        optional("name", ParamType.STRING, "object name; default the incident's controller"),
                        optional("namespace", ParamType.STRING, "namespace; default the incident's, else default"),
                        required("patch", ParamType.ANY, "the patch: a mapping (strategic/merge) or a list of operations (json)"),
                        optional("type", ParamType.STRING, "strategic (default), merge or json")),
                true);
    }

    @Override
    java.util.Optional<java.util.Map.Entry<String, Boolean>> targetDefaults() {
        return java.util.Optional.of(new java.util.AbstractMap.SimpleEntry<>(null, true));
    }

    @Override
    ActionResult run(ActionContext ctx, KubernetesClient client) throws Exception {
        Target t = target(ctx, null, true);
        PatchType type = patchType(ctx.optionalString("type"));
        Object patch = ctx.params().get("patch");
        if (type == PatchType.JSON) {
            if (!(patch instanceof List<?> ops) || ops.isEmpty()
                    || !ops.stream().allMatch(o -> o instanceof Map<?, ?> m && m.get("op") != null && m.get("path") != null)) {
                throw new IllegalArgumentException("parameter 'patch': type json needs a non-empty list of operations such as "
                        + "[{op: replace, path: /spec/replicas, value: 3}]");
            }
        } else if (!(patch instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new IllegalArgumentException("parameter 'patch': a " + (type == PatchType.JSON_MERGE ? "merge" : "strategic merge")
                    + " patch must be a non-empty mapping such as {spec: {replicas: 3}}, got "
                    + (patch instanceof List ? "a list (use type: json for a list of operations)" : "'" + patch + "'"));
        }
        String body = Objects2.json(patch);
        Map<String, Object> before = Objects2.toMap(read(client, t));
        GenericKubernetesResource after = t.on(client).patch(patchContext(type, ctx.dryRun()), body);
        Map<String, Object> afterMap = Objects2.toMap(after);
        List<Objects2.Change> changes = Objects2.diff(before, afterMap);
        var out = output(t, ctx.dryRun());
        out.put("patch_type", name(type));
        out.put("changes", changes.stream().map(Objects2.Change::text).toList());
        out.put("object", afterMap);
        String summary = prefix(ctx.dryRun()) + "patched " + t.describe() + ": " + Objects2.summarize(changes);
        var result = new ActionResult(Optional.of(out), List.of(), summary);
        return changes.isEmpty() ? result : result.touching(t.touched("patched: " + Objects2.summarize(changes)));
    }

    static PatchType patchType(Optional<String> type) {
        String t = type.orElse("strategic").trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "strategic", "strategic-merge" -> PatchType.STRATEGIC_MERGE;
            case "merge", "json-merge" -> PatchType.JSON_MERGE;
            case "json" -> PatchType.JSON;
            default -> throw new IllegalArgumentException("parameter 'type': unknown patch type '" + type.get()
                    + "' (use strategic, merge or json)");
        };
    }

    private static String name(PatchType type) {
        return switch (type) {
            case STRATEGIC_MERGE -> "strategic";
            case JSON_MERGE -> "merge";
            default -> "json";
        };
    }
}
