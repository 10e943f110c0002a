package dev.runbook.mcp.internal;

import dev.runbook.core.model.ResourceRef;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resource an action tool call acts on, worked out from its arguments the way the Kubernetes actions read
 * them ({@code resource: deployment/web}, {@code kind} + {@code name}, {@code namespace} defaulting to
 * {@code default}, {@code node}, an {@code apply} manifest's metadata). It becomes the incident's resource, so the
 * guards (dedupe lock, per-resource limits, blast radius) key one object the same way whichever tool names it.
 */
public final class ActionTarget {
    /** Kinds without a namespace: their key has none, whatever the call says. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Node", "Namespace", "PersistentVolume", "ClusterRole",
            "ClusterRoleBinding", "StorageClass", "CustomResourceDefinition");
    /** kubectl's short and plural names of the kinds the Kubernetes actions work on. */
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("pod", "Pod"), Map.entry("pods", "Pod"), Map.entry("po", "Pod"),
            Map.entry("deployment", "Deployment"), Map.entry("deployments", "Deployment"), Map.entry("deploy", "Deployment"),
            Map.entry("statefulset", "StatefulSet"), Map.entry("statefulsets", "StatefulSet"), Map.entry("sts", "StatefulSet"),
            Map.entry("daemonset", "DaemonSet"), Map.entry("daemonsets", "DaemonSet"), Map.entry("ds", "DaemonSet"),
            Map.entry("replicaset", "ReplicaSet"), Map.entry("replicasets", "ReplicaSet"), Map.entry("rs", "ReplicaSet"),
            Map.entry("node", "Node"), Map.entry("nodes", "Node"), Map.entry("no", "Node"),
            Map.entry("service", "Service"), Map.entry("services", "Service"), Map.entry("svc", "Service"),
            Map.entry("configmap", "ConfigMap"), Map.entry("configmaps", "ConfigMap"), Map.entry("cm", "ConfigMap"),
            Map.entry("secret", "Secret"), Map.entry("secrets", "Secret"),
            Map.entry("namespace", "Namespace"), Map.entry("namespaces", "Namespace"), Map.entry("ns", "Namespace"));
    /** The kind an action works on when the call names none (as the actions themselves default). */
    private static final Map<String, String> DEFAULT_KIND = Map.of("kubectl_delete_pod", "Pod",
            "k8s_set_resources", "Deployment", "kubectl_scale", "Deployment", "kubectl_rollout_restart", "Deployment",
            "kubectl_rollout_undo", "Deployment", "kubectl_cordon", "Node", "kubectl_uncordon", "Node",
            "kubectl_drain", "Node");

    private ActionTarget() {
    }

    /**
     * The resource of a call: a Kubernetes object when the arguments name one, {@code Neo4jDatabase/<database>}
     * for {@code check_neo4j}, else {@code Tool/<action>} (so calls of one tool still share a dedupe lock).
     */
    public static ResourceRef of(String action, Map<String, Object> args) {
        if (action.equals("check_neo4j")) {
            return ResourceRef.of("Neo4jDatabase", "", text(args, "database").orElse("default"));
        }
        Optional<String> node = text(args, "node");
        if (node.isPresent()) {
            return ResourceRef.of("Node", "", node.get());
        }
        if (args.get("manifest") instanceof Map<?, ?> manifest && manifest.get("metadata") instanceof Map<?, ?> meta
                && meta.get("name") instanceof String name && !name.isBlank()) {
            String kind = manifest.get("kind") instanceof String k && !k.isBlank() ? k : "Object";
            String ns = meta.get("namespace") instanceof String n && !n.isBlank() ? n : text(args, "namespace").orElse("default");
            return ref(kind, ns, name);
        }
        Optional<String> name = text(args, "name");
        Optional<String> kindText = text(args, "kind");
        Optional<String> resource = text(args, "resource");
        if (resource.isPresent()) {
            int slash = resource.get().indexOf('/');
            if (slash >= 0) {
                kindText = Optional.of(resource.get().substring(0, slash));
                String inline = resource.get().substring(slash + 1).trim();
                if (!inline.isEmpty()) {
                    name = Optional.of(inline);
                }
            } else {
                kindText = resource;
            }
        }
        if (name.isEmpty()) {
            return ResourceRef.of("Tool", "", action);
        }
        String kind = kindText.map(ActionTarget::canonicalKind).orElse(DEFAULT_KIND.getOrDefault(action, "Object"));
        return ref(kind, text(args, "namespace").orElse("default"), name.get());
    }

    /** {@code deploy} and {@code deployments} are {@code Deployment}; an unknown kind is kept as given. */
    static String canonicalKind(String text) {
        String t = text.trim();
        return KINDS.getOrDefault(t.toLowerCase(Locale.ROOT), t);
    }

    private static ResourceRef ref(String kind, String namespace, String name) {
        return ResourceRef.of(kind, CLUSTER_SCOPED.contains(kind) ? "" : namespace, name);
    }

    private static Optional<String> text(Map<String, Object> args, String key) {
        return args.get(key) instanceof String s && !s.isBlank() ? Optional.of(s.trim()) : Optional.empty();
    }
}
