package dev.runbook.k8s;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Which {@link KubernetesClient} serves which cluster. An incident's {@code cluster} names a registered client
 * or, when the registry allows it, a context of the kubeconfig; an incident without a cluster uses the default
 * client. A cluster that is neither registered nor a kubeconfig context is an error: a runbook never falls back to
 * the default cluster for an incident that names another one.
 *
 * <p>Clients are created lazily (the no-argument {@link KubernetesActions} does not touch the kubeconfig until an
 * action runs) and cached; {@link #close()} closes the clients this registry created, not those a host passed in.
 */
public final class KubernetesClients implements AutoCloseable {
    /** System property naming the kubeconfig context of the default client (the CLI's {@code --kube-context}). */
    public static final String CONTEXT_PROPERTY = "runbook.k8s.context";
    /** Environment variable naming the kubeconfig context of the default client, when the property is not set. */
    public static final String CONTEXT_ENV = "RUNBOOK_K8S_CONTEXT";

    private final Supplier<KubernetesClient> defaultClient;
    private final Map<String, KubernetesClient> registered;
    private final boolean kubeconfigContexts;
    private final Map<String, KubernetesClient> created = new ConcurrentHashMap<>();
    private volatile KubernetesClient defaultInstance;
    private final boolean ownsDefault;

    private KubernetesClients(Supplier<KubernetesClient> defaultClient, boolean ownsDefault,
                              Map<String, KubernetesClient> registered, boolean kubeconfigContexts) {
        this.defaultClient = defaultClient;
        this.ownsDefault = ownsDefault;
        this.registered = Map.copyOf(registered);
        this.kubeconfigContexts = kubeconfigContexts;
    }

    /**
     * The default kubeconfig (or in-cluster service account) for incidents without a cluster, and the kubeconfig's
     * contexts for incidents that name one. The default client uses the context named by the system property
     * {@value #CONTEXT_PROPERTY}, else the environment variable {@value #CONTEXT_ENV}, else the kubeconfig's current
     * context; both are read now, the kubeconfig only when a client is needed. A named context that the kubeconfig
     * does not have is an error when the first action runs, never a fallback to the current context.
     */
    public static KubernetesClients fromKubeconfig() {
        return fromKubeconfig(configuredContext(System::getProperty, System::getenv));
    }

    /**
     * Like {@link #fromKubeconfig()}, with the default client on this kubeconfig context (empty: the current one).
     * Nothing is read until a client is needed.
     */
    public static KubernetesClients fromKubeconfig(Optional<String> defaultContext) {
        Objects.requireNonNull(defaultContext, "defaultContext");
        Supplier<KubernetesClient> defaultClient = defaultContext.filter(c -> !c.isBlank())
                .<Supplier<KubernetesClient>>map(c -> () -> fromContext(c, "unknown kubeconfig context '" + c
                        + "' (given by " + CONTEXT_PROPERTY + ", " + CONTEXT_ENV + " or --kube-context): the kubeconfig "
                        + "has no such context; use one of its contexts"))
                .orElse(() -> new KubernetesClientBuilder().withConfig(withoutClientRetries(Config.autoConfigure(null))).build());
        return new KubernetesClients(defaultClient, true, Map.of(), true);
    }

    /** The context named by the property, else the environment variable; blank values count as unset. */
    static Optional<String> configuredContext(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        return Optional.ofNullable(properties.apply(CONTEXT_PROPERTY)).map(String::trim).filter(c -> !c.isEmpty())
                .or(() -> Optional.ofNullable(environment.apply(CONTEXT_ENV)).map(String::trim).filter(c -> !c.isEmpty()));
    }

    /** Only this client, for incidents without a cluster; any named cluster is refused. */
    public static KubernetesClients of(KubernetesClient client) {
        return builder(client).build();
    }

    /** A registry whose default client is {@code defaultClient}. */
    public static Builder builder(KubernetesClient defaultClient) {
        return new Builder(Objects.requireNonNull(defaultClient, "defaultClient"));
    }

    /**
     * The client for this cluster: the default when empty, else the registered client, else (when enabled) a
     * client on the kubeconfig context of that name.
     *
     * @throws IllegalArgumentException naming the cluster and the known ones when there is no such cluster
     */
    public KubernetesClient forCluster(Optional<String> cluster) {
        if (cluster.isEmpty() || cluster.get().isBlank()) {
            return defaultClient();
        }
        String name = cluster.get();
        KubernetesClient c = registered.get(name);
        if (c != null) {
            return c;
        }
        if (kubeconfigContexts) {
            return created.computeIfAbsent(name, n -> fromContext(n, "unknown cluster '" + n
                    + "': it is neither registered nor a context of the kubeconfig"));
        }
        throw new IllegalArgumentException("unknown cluster '" + name + "': no client is registered for it (registered: "
                + (registered.isEmpty() ? "none" : String.join(", ", new TreeSet<>(registered.keySet())))
                + "); register one with KubernetesClients.builder(..).cluster(\"" + name + "\", client)");
    }

    /** Names of the clusters registered explicitly. */
    public List<String> registeredClusters() {
        return List.copyOf(new TreeSet<>(registered.keySet()));
    }

    private KubernetesClient defaultClient() {
        KubernetesClient c = defaultInstance;
        if (c == null) {
            synchronized (this) {
                c = defaultInstance;
                if (c == null) {
                    c = defaultClient.get();
                    defaultInstance = c;
                }
            }
        }
        return c;
    }

    private static KubernetesClient fromContext(String context, String unknown) {
        Config base = Config.autoConfigure(null);
        var names = new TreeSet<String>();
        for (NamedContext nc : base.getContexts() == null ? List.<NamedContext>of() : base.getContexts()) {
            names.add(nc.getName());
        }
        if (!names.contains(context)) {
            throw new IllegalArgumentException(unknown + " (contexts: " + (names.isEmpty() ? "none"
                    : String.join(", ", names)) + ")");
        }
        return new KubernetesClientBuilder().withConfig(withoutClientRetries(Config.autoConfigure(context))).build();
    }

    /**
     * fabric8 retries failed requests itself (up to 10 times, doubling from 100 ms, without jitter, on its own
     * clock) before an action sees the failure; the step's {@code retry} would then retry those retries. Clients
     * this registry creates leave retrying to the step, whose backoff is jittered and honours the API server's
     * Retry-After. Clients a host passes in keep their own settings (see the README).
     */
    static Config withoutClientRetries(Config config) {
        config.setRequestRetryBackoffLimit(0);
        return config;
    }

    /** Closes the clients this registry created itself. */
    @Override
    public void close() {
        created.values().forEach(KubernetesClient::close);
        created.clear();
        if (ownsDefault && defaultInstance != null) {
            defaultInstance.close();
        }
    }

    /** Builds a {@link KubernetesClients}; each method checks its arguments at once. */
    public static final class Builder {
        private final KubernetesClient defaultClient;
        private final Map<String, KubernetesClient> clusters = new LinkedHashMap<>();
        private boolean kubeconfigContexts;

        private Builder(KubernetesClient defaultClient) {
            this.defaultClient = defaultClient;
        }

        /** The client for incidents whose {@code cluster} is {@code name}. */
        public Builder cluster(String name, KubernetesClient client) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("cluster name must not be blank");
            }
            if (clusters.putIfAbsent(name, Objects.requireNonNull(client, "client")) != null) {
                throw new IllegalArgumentException("cluster '" + name + "' registered twice");
            }
            return this;
        }

        /** Whether clusters that are not registered are looked up as kubeconfig contexts (default false). */
        public Builder kubeconfigContexts(boolean enabled) {
            this.kubeconfigContexts = enabled;
            return this;
        }

        /** The registry. */
        public KubernetesClients build() {
            return new KubernetesClients(() -> defaultClient, false, clusters, kubeconfigContexts);
        }
    }
}
