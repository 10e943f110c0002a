package dev.runbook.k8s;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.k8s.internal.KubernetesActionSet;
import java.util.List;
import java.util.Objects;

/**
 * The Kubernetes actions under the seed's names, each with a {@code k8s.*} alias: {@code kubectl_get},
 * {@code kubectl_patch}, {@code kubectl_apply}, {@code kubectl_rollout_restart}, {@code kubectl_rollout_undo},
 * {@code kubectl_scale}, {@code kubectl_cordon}, {@code kubectl_uncordon}, {@code kubectl_drain},
 * {@code kubectl_delete_pod} and {@code k8s_set_resources}. Found through {@link java.util.ServiceLoader} (the
 * no-argument constructor uses the default kubeconfig, read on first use); hosts with several clusters register
 * {@code new KubernetesActions(clients)} with the engine.
 *
 * <p>In a dry run every mutating action sends {@code dryRun=All} (the API server validates and admits the change
 * but persists nothing) and reports the object it would produce and the resources it would touch.
 */
public final class KubernetesActions implements ActionProvider {
    private final KubernetesClients clients;
    private final List<Action> actions;

    /**
     * The actions on the default kubeconfig (and its contexts for incidents naming a cluster), read lazily. The
     * default client uses the context named by the system property {@value KubernetesClients#CONTEXT_PROPERTY} (set
     * by the CLI's {@code --kube-context}), else the environment variable {@value KubernetesClients#CONTEXT_ENV},
     * else the kubeconfig's current context; an unknown context fails the first action with a clear error naming the
     * kubeconfig's contexts. See {@link KubernetesClients#fromKubeconfig()}.
     */
    public KubernetesActions() {
        this(KubernetesClients.fromKubeconfig());
    }

    /** The actions on these clients; an incident's {@code cluster} picks one. */
    public KubernetesActions(KubernetesClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.actions = KubernetesActionSet.create(clients);
    }

    /** The client registry in use. */
    public KubernetesClients clients() {
        return clients;
    }

    @Override
    public List<Action> actions() {
        return actions;
    }
}
