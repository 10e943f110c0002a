package dev.runbook.temporal;

import dev.runbook.core.model.Incident;
import java.util.function.Function;

/** Which task queue an incident's execution runs on. */
public final class TaskQueues {
    /** The queue of incidents without a cluster. */
    public static final String DEFAULT_CLUSTER = "default";

    private TaskQueues() {
    }

    /** {@code runbook-<cluster>}: a worker only takes executions for a cluster it can reach. */
    public static String forCluster(String cluster) {
        if (cluster == null || cluster.isBlank()) {
            return "runbook-" + DEFAULT_CLUSTER;
        }
        return "runbook-" + cluster;
    }

    /** The default choice: one queue per cluster, by the incident's {@code cluster}. */
    public static Function<Incident, String> perCluster() {
        return incident -> forCluster(incident.cluster().orElse(DEFAULT_CLUSTER));
    }
}
