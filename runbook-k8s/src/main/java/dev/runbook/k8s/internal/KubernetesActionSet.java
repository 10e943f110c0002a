package dev.runbook.k8s.internal;

import dev.runbook.core.action.Action;
import dev.runbook.k8s.KubernetesClients;
import java.util.List;

/** Creates the Kubernetes actions on a client registry. */
public final class KubernetesActionSet {
    private KubernetesActionSet() {
    }

    /** Every action, in the order of the README. */
    public static List<Action> create(KubernetesClients clients) {
        return List.of(new GetAction(clients), new PatchAction(clients), new ApplyAction(clients),
                new RolloutRestartAction(clients), new RolloutUndoAction(clients), new ScaleAction(clients),
                new CordonAction(clients, true), new CordonAction(clients, false), new DrainAction(clients),
                new DeletePodAction(clients), new SetResourcesAction(clients));
    }
}
