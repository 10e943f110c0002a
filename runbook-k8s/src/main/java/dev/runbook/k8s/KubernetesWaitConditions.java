package dev.runbook.k8s;

import dev.runbook.core.action.WaitCondition;
import dev.runbook.core.action.WaitConditionProvider;
import dev.runbook.k8s.internal.ResourceWaitCondition;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conditions on Kubernetes resources for the built-in {@code wait} action: {@code pod/NAME ready},
 * {@code pod/NAME gone}, {@code deployment/NAME available} (rollout complete, as {@code kubectl rollout status}
 * decides) and {@code node/NAME ready}. The namespace is the incident's (else {@code default}); the incident's
 * {@code cluster} selects the client. Each wait blocks on an informer (a watch), never polls.
 *
 * <p>{@code pod/NAME ready} follows the seed's intent, "wait for the pod to restart": when the pod is deleted because
 * its Deployment rolled out a change (its replacement gets another name), it waits for that Deployment's rollout to
 * complete instead.
 */
public final class KubernetesWaitConditions implements WaitConditionProvider {
    private static final Pattern FORM = Pattern.compile("([A-Za-z]+)/(\\S+)\\s+(\\S+)");
    private final KubernetesClients clients;

    /**
     * Conditions on the default kubeconfig, read on first use (the form ServiceLoader creates); the context named by
     * {@value KubernetesClients#CONTEXT_PROPERTY} or {@value KubernetesClients#CONTEXT_ENV}, if any, as
     * {@link KubernetesClients#fromKubeconfig()} describes.
     */
    public KubernetesWaitConditions() {
        this(KubernetesClients.fromKubeconfig());
    }

    /** Conditions on these clients. */
    public KubernetesWaitConditions(KubernetesClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public Optional<WaitCondition> parse(String condition) {
        Matcher m = FORM.matcher(condition.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        String kind = m.group(1).toLowerCase(Locale.ROOT);
        String name = m.group(2);
        String state = m.group(3).toLowerCase(Locale.ROOT);
        ResourceWaitCondition.Type type;
        switch (kind) {
            case "pod", "pods", "po" -> type = switch (state) {
                case "ready" -> ResourceWaitCondition.Type.POD_READY;
                case "gone", "deleted" -> ResourceWaitCondition.Type.POD_GONE;
                default -> throw new IllegalArgumentException("unknown state '" + m.group(3) + "' for a pod; use pod/NAME ready "
                        + "or pod/NAME gone");
            };
            case "deployment", "deployments", "deploy" -> {
                if (!state.equals("available") && !state.equals("ready") && !state.equals("complete")) {
                    throw new IllegalArgumentException("unknown state '" + m.group(3) + "' for a deployment; use "
                            + "deployment/NAME available (rollout complete)");
                }
                type = ResourceWaitCondition.Type.DEPLOYMENT_AVAILABLE;
            }
            case "node", "nodes", "no" -> {
                if (!state.equals("ready")) {
                    throw new IllegalArgumentException("unknown state '" + m.group(3) + "' for a node; use node/NAME ready");
                }
                type = ResourceWaitCondition.Type.NODE_READY;
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(new ResourceWaitCondition(clients, type, name));
    }
}
