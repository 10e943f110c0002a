package dev.runbook.k8s.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A built-in Kubernetes kind and the names kubectl accepts for it ({@code pod}, {@code pods}, {@code po}).
 *
 * @param kind       the kind, {@code Deployment}
 * @param apiVersion its group/version, {@code apps/v1}
 * @param namespaced whether it lives in a namespace
 * @param names      lower-case names kubectl accepts
 */
public record Kind(String kind, String apiVersion, boolean namespaced, List<String> names) {
    private static final Map<String, Kind> BY_NAME = new LinkedHashMap<>();

    static {
        add("Pod", "v1", true, "pod", "pods", "po");
        add("Deployment", "apps/v1", true, "deployment", "deployments", "deploy");
        add("ReplicaSet", "apps/v1", true, "replicaset", "replicasets", "rs");
        add("StatefulSet", "apps/v1", true, "statefulset", "statefulsets", "sts");
        add("DaemonSet", "apps/v1", true, "daemonset", "daemonsets", "ds");
        add("Service", "v1", true, "service", "services", "svc");
        add("ConfigMap", "v1", true, "configmap", "configmaps", "cm");
        add("Secret", "v1", true, "secret", "secrets");
        add("ServiceAccount", "v1", true, "serviceaccount", "serviceaccounts", "sa");
        add("PersistentVolumeClaim", "v1", true, "persistentvolumeclaim", "persistentvolumeclaims", "pvc");
        add("Job", "batch/v1", true, "job", "jobs");
        add("CronJob", "batch/v1", true, "cronjob", "cronjobs", "cj");
        add("HorizontalPodAutoscaler", "autoscaling/v2", true, "horizontalpodautoscaler", "horizontalpodautoscalers", "hpa");
        add("PodDisruptionBudget", "policy/v1", true, "poddisruptionbudget", "poddisruptionbudgets", "pdb");
        add("Ingress", "networking.k8s.io/v1", true, "ingress", "ingresses", "ing");
        add("Node", "v1", false, "node", "nodes", "no");
        add("Namespace", "v1", false, "namespace", "namespaces", "ns");
    }

    public Kind {
        names = List.copyOf(names);
    }

    private static void add(String kind, String apiVersion, boolean namespaced, String... names) {
        Kind k = new Kind(kind, apiVersion, namespaced, List.of(names));
        for (String n : names) {
            BY_NAME.put(n, k);
        }
        BY_NAME.put(kind.toLowerCase(Locale.ROOT), k);
    }

    /** The kind kubectl would understand by this name (case-insensitive; {@code Deployment.apps} accepted). */
    public static Optional<Kind> find(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        int dot = n.indexOf('.');
        if (dot > 0) {
            n = n.substring(0, dot);
        }
        return Optional.ofNullable(BY_NAME.get(n));
    }

    /** The kind by this name, or an error listing the known ones. */
    public static Kind require(String name, String param) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("parameter '" + param + "': unknown resource kind '"
                + name + "' (known: " + String.join(", ", known()) + ")"));
    }

    /** Kind names for messages. */
    public static List<String> known() {
        var out = new TreeSet<String>();
        BY_NAME.values().forEach(k -> out.add(k.names().get(0)));
        return List.copyOf(out);
    }

    /** Whether the kind has a pod template at {@code spec.template} (workloads). */
    public boolean hasPodTemplate() {
        return switch (kind) {
            case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job" -> true;
            default -> false;
        };
    }
}
