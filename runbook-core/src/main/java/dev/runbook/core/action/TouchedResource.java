package dev.runbook.core.action;

import java.util.Objects;

/**
 * A resource an action changed, or would change in a dry run: counted by the blast-radius guard and
 * recorded in the audit trail.
 *
 * @param kind      {@code Deployment}, {@code Pod}, {@code Container}, {@code Node}, ...
 * @param namespace namespace, or empty
 * @param name      name
 * @param change    what happened to it, for instance {@code patched memory limit 256Mi -> 512Mi}
 */
public record TouchedResource(String kind, String namespace, String name, String change) {
    public TouchedResource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(change, "change");
    }

    /** {@code Kind/namespace/name}: two touches of one resource count once. */
    public String key() {
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }
}
