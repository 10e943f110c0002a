package dev.runbook.core.engine.internal;

import dev.runbook.core.model.Incident;

/**
 * The keys guards count and lock under. Every key carries the incident's cluster, so the same pod name in two
 * clusters shares no lock, limit or cooldown. Resources an action touches are in the incident's cluster.
 */
final class GuardKeys {
    private GuardKeys() {
    }

    static String cluster(Incident incident) {
        return incident.cluster().orElse("default");
    }

    /** A resource of the incident's cluster: {@code cluster/Kind/namespace/name}. */
    static String resource(Incident incident, String resourceKey) {
        return cluster(incident) + "/" + resourceKey;
    }

    /** The lock of one resource. */
    static String resourceLock(Incident incident, String resourceKey) {
        return "resource:" + resource(incident, resourceKey);
    }

    /** The lock of the incident itself. */
    static String incidentLock(Incident incident) {
        return "incident:" + cluster(incident) + "/" + incident.incidentId();
    }
}
