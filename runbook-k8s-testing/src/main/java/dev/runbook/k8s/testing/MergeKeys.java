package dev.runbook.k8s.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The patch strategies of the Kubernetes API's list fields that {@link StrategicMerge} knows, by field path: the
 * {@code patchStrategy:"merge"} and {@code patchMergeKey} tags of core/v1 PodSpec, Container, ObjectMeta and
 * ServiceSpec (also published as {@code x-kubernetes-patch-strategy} and {@code x-kubernetes-patch-merge-key} in the
 * API's OpenAPI document). A list not listed here has no merge strategy and is replaced whole.
 */
public final class MergeKeys {
    /** How a list field merges: by a merge key (a list of objects) or, with no key, as a set of primitives. */
    public record ListStrategy(Optional<String> mergeKey) {
        static ListStrategy byKey(String key) {
            return new ListStrategy(Optional.of(key));
        }

        static final ListStrategy SET = new ListStrategy(Optional.empty());
    }

    /** Where a pod spec sits: a Pod, a workload's template, a CronJob's job template, a PodTemplate. */
    private static final List<String> POD_SPECS = List.of("spec", "spec.template.spec",
            "spec.jobTemplate.spec.template.spec", "template.spec");
    /** Where object metadata sits, likewise. */
    private static final List<String> METADATA = List.of("metadata", "spec.template.metadata",
            "spec.jobTemplate.metadata", "spec.jobTemplate.spec.template.metadata", "template.metadata");
    /**
     * The merged lists (patchStrategy merge, with their patchMergeKey) of the Kubernetes API types, by field path from
     * the object's root (a list element adds no segment): core/v1 PodSpec, Container (for containers,
     * initContainers and ephemeralContainers), ObjectMeta and ServiceSpec. Any other list is replaced.
     */
    public static final Map<String, ListStrategy> LISTS = table();

    private MergeKeys() {
    }

    private static Map<String, ListStrategy> table() {
        var t = new LinkedHashMap<String, ListStrategy>();
        Map<String, String> podSpec = Map.of("containers", "name", "initContainers", "name", "ephemeralContainers", "name",
                "volumes", "name", "imagePullSecrets", "name", "hostAliases", "ip",
                "topologySpreadConstraints", "topologyKey", "schedulingGates", "name", "resourceClaims", "name");
        Map<String, String> container = Map.of("env", "name", "ports", "containerPort", "volumeMounts", "mountPath",
                "volumeDevices", "devicePath");
        for (String spec : POD_SPECS) {
            podSpec.forEach((field, key) -> t.put(spec + "." + field, ListStrategy.byKey(key)));
            for (String kind : List.of("containers", "initContainers", "ephemeralContainers")) {
                container.forEach((field, key) -> t.put(spec + "." + kind + "." + field, ListStrategy.byKey(key)));
            }
        }
        for (String meta : METADATA) {
            t.put(meta + ".finalizers", ListStrategy.SET);
            t.put(meta + ".ownerReferences", ListStrategy.byKey("uid"));
        }
        // a Service's spec.ports (a Pod has no spec.ports, so the paths do not collide)
        t.put("spec.ports", ListStrategy.byKey("port"));
        return Map.copyOf(t);
    }

    /** The strategy of the list at {@code path} (dotted field names from the root); empty: the list is replaced. */
    public static Optional<ListStrategy> strategy(String path) {
        return Optional.ofNullable(LISTS.get(path));
    }
}
