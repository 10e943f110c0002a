package dev.runbook.core.model;

import java.util.Objects;
import java.util.Optional;

/**
 * The resource an incident is about.
 *
 * @param kind          {@code Pod}, {@code Node}, {@code Deployment}, {@code Container}, ...
 * @param name          its name
 * @param namespace     its namespace (empty for cluster-scoped resources)
 * @param uid           its uid, when known
 * @param controller    the workload that owns it (the Deployment of a Pod), when known
 * @param containerName the container concerned, when known
 */
public record ResourceRef(String kind, String name, String namespace, Optional<String> uid,
                          Optional<String> controller, Optional<String> containerName) {
    public ResourceRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(containerName, "containerName");
    }

    /** A resource known only by kind, namespace and name. */
    public static ResourceRef of(String kind, String namespace, String name) {
        return new ResourceRef(kind, name, namespace, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** {@code Kind/namespace/name} (or {@code Kind/name} when cluster-scoped): the key used by guards. */
    public String key() {
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }

    /** A copy with this controller. */
    public ResourceRef withController(String controller) {
        return new ResourceRef(kind, name, namespace, uid, Optional.of(controller), containerName);
    }

    /** A copy with this container name. */
    public ResourceRef withContainerName(String container) {
        return new ResourceRef(kind, name, namespace, uid, controller, Optional.of(container));
    }

    /** A copy with this uid. */
    public ResourceRef withUid(String uid) {
        return new ResourceRef(kind, name, namespace, Optional.of(uid), controller, containerName);
    }
}
