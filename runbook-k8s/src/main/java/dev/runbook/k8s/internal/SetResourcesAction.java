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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code k8s_set_resources}: sets requests/limits of one container, working out from the live object a JSON patch
 * that touches only those keys at the container's index, guarded by the resourceVersion read (a concurrent change
 * makes it conflict and be recomputed on fresh data). The safe way to write the OOMKilled runbook: no template
 * text, no strategic-merge semantics to rely on, values checked as Kubernetes quantities first.
 */
final class SetResourcesAction extends K8sAction {
    private static final Pattern QUANTITY = Pattern.compile(
            "[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?");

    SetResourcesAction(KubernetesClients clients) {
        super(clients, "k8s_set_resources", "k8s.set_resources",
                "Sets a container's resource requests/limits with a precise JSON patch computed from the live object",
                ParamSchema.of(
                        optional("kind", ParamType.STRING, "deployment (default), statefulset, daemonset, replicaset or pod"),
                        optional("name", ParamType.STRING, "name; default the incident's controller"),
                        optional("namespace", ParamType.STRING, "namespace; default the incident's, else default"),
                        optional("container", ParamType.STRING,
                                "container name; default the incident's container, else the only container"),
                        optional("requests", ParamType.MAP, "requests to set, for instance {memory: 256Mi, cpu: 250m}"),
                        optional("limits", ParamType.MAP, "limits to set, for instance {memory: 512Mi}")),
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
        if (!t.kind().hasPodTemplate() && !t.kind().kind().equals("Pod")) {
            throw new IllegalArgumentException("parameter 'kind': " + t.kind().kind() + " has no containers");
        }
        Map<String, String> requests = quantities(ctx, "requests");
        Map<String, String> limits = quantities(ctx, "limits");
        if (requests.isEmpty() && limits.isEmpty()) {
            throw new IllegalArgumentException("give parameter 'requests' or 'limits' (or both), for instance limits: {memory: 512Mi}");
        }
        String base = t.kind().kind().equals("Pod") ? "/spec/containers" : "/spec/template/spec/containers";
        return retryingConflicts(ctx, "setting resources of " + t.describe(), () -> {
            GenericKubernetesResource live = read(client, t);
            Map<String, Object> object = Objects2.toMap(live);
            Object containersValue = FieldPath.parse(base.substring(1).replace('/', '.')).read(object).orElse(List.of());
            List<Object> containers = containersValue instanceof List<?> l ? (List<Object>) l : List.of();
            int index = containerIndex(ctx, t, containers);
            Map<String, Object> container = (Map<String, Object>) containers.get(index);
            String containerName = String.valueOf(container.get("name"));
            Map<String, Object> resources = container.get("resources") instanceof Map<?, ?> r ? (Map<String, Object>) r : null;
            var ops = new ArrayList<Map<String, Object>>();
            ops.add(Map.of("op", "replace", "path", "/metadata/resourceVersion", "value", live.getMetadata().getResourceVersion()));
            var changes = new ArrayList<String>();
            String path = base + "/" + index + "/resources";
            if (resources == null) {
                var whole = new LinkedHashMap<String, Object>();
                if (!requests.isEmpty()) {
                    whole.put("requests", requests);
                }
                if (!limits.isEmpty()) {
                    whole.put("limits", limits);
                }
                ops.add(Map.of("op", "add", "path", path, "value", whole));
                requests.forEach((k, v) -> changes.add(k + " request (none) -> " + v));
                limits.forEach((k, v) -> changes.add(k + " limit (none) -> " + v));
            } else {
                section(ops, changes, path, "requests", "request", resources, requests);
                section(ops, changes, path, "limits", "limit", resources, limits);
            }
            var out = output(t, ctx.dryRun());
            out.put("container", containerName);
            out.put("before", resources == null ? Map.of() : resources);
            out.put("changes", List.copyOf(changes));
            if (changes.isEmpty()) {
                return new ActionResult(Optional.of(out), List.of(), t.describe() + ": container " + containerName
                        + " already has these resources");
            }
            GenericKubernetesResource after = t.on(client).patch(patchContext(PatchType.JSON, ctx.dryRun()), Objects2.json(ops));
            Object afterResources = FieldPath.parse(base.substring(1).replace('/', '.') + "[" + index + "].resources")
                    .read(Objects2.toMap(after)).orElse(Map.of());
            out.put("after", afterResources);
            String text = String.join(", ", changes);
            return new ActionResult(Optional.of(out), List.of(t.touched("container " + containerName + ": " + text)),
                    prefix(ctx.dryRun()) + "patched " + t.describe() + ": " + text);
        });
    }

    @SuppressWarnings("unchecked")
    private static void section(List<Map<String, Object>> ops, List<String> changes, String path, String key, String label,
                                Map<String, Object> resources, Map<String, String> wanted) {
        if (wanted.isEmpty()) {
            return;
        }
        Map<String, Object> current = resources.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        if (current == null) {
            ops.add(Map.of("op", "add", "path", path + "/" + key, "value", wanted));
            wanted.forEach((k, v) -> changes.add(k + " " + label + " (none) -> " + v));
            return;
        }
        wanted.forEach((k, v) -> {
            Object was = current.get(k);
            if (was != null && String.valueOf(was).equals(v)) {
                return;
            }
            ops.add(Map.of("op", was == null ? "add" : "replace", "path", path + "/" + key + "/" + escape(k), "value", v));
            changes.add(k + " " + label + " " + (was == null ? "(none)" : was) + " -> " + v);
        });
    }

    @SuppressWarnings("unchecked")
    private static int containerIndex(ActionContext ctx, Target t, List<Object> containers) throws ActionException {
        Optional<String> wanted = ctx.optionalString("container").filter(s -> !s.isBlank())
                .or(() -> ctx.incident().resource().containerName());
        var names = containers.stream().map(c -> String.valueOf(((Map<String, Object>) c).get("name"))).toList();
        if (wanted.isEmpty()) {
            if (names.size() == 1) {
                return 0;
            }
            throw ActionException.permanent("k8s_set_resources: " + t.describe() + " has " + names.size()
                    + " containers " + names + "; name one with parameter 'container'");
        }
        int i = names.indexOf(wanted.get());
        if (i < 0) {
            throw ActionException.permanent("k8s_set_resources: " + t.describe() + " has no container '" + wanted.get()
                    + "' (containers: " + names + ")");
        }
        return i;
    }

    private static Map<String, String> quantities(ActionContext ctx, String param) {
        Object v = ctx.params().get(param);
        if (v == null) {
            return Map.of();
        }
        var out = new LinkedHashMap<String, String>();
        ((Map<?, ?>) v).forEach((k, q) -> {
            String text = q == null ? "" : String.valueOf(q).trim();
            if (q instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
                text = String.valueOf(d.longValue());
            }
            if (!QUANTITY.matcher(text).matches()) {
                throw new IllegalArgumentException("parameter '" + param + "." + k + "': '" + q
                        + "' is not a Kubernetes quantity (examples: 512Mi, 1Gi, 250m, 2)");
            }
            out.put(String.valueOf(k), text);
        });
        return out;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
