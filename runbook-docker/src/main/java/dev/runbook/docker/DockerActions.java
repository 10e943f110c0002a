package dev.runbook.docker;

import com.github.dockerjava.api.DockerClient;
import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.docker.internal.ContainerActions;
import dev.runbook.docker.internal.Engine;
import dev.runbook.docker.internal.Shared;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The Docker actions of seed 002: {@code restart-container}, {@code scale-service}, {@code update-env-vars},
 * {@code rollback-deployment}, and the reads {@code container-metrics} and {@code container-logs}. Found
 * through {@link java.util.ServiceLoader} (then the engine is {@code DOCKER_HOST}, or
 * {@code unix:///var/run/docker.sock}, contacted on first use), or built for a given client.
 *
 * <p>Every mutating action reports the containers it touched (or would, in a dry run) and records the specs it
 * replaces in a {@link ContainerHistory}, which {@code rollback-deployment} restores. The entry is written
 * ahead, before the action touches a container, so {@code update-env-vars} interrupted by a crash of the host
 * leaves the original spec on record; {@link DockerRecovery} repairs such a half-done recreate when the host
 * starts again. Replica bounds come from
 * the runbook's {@code safety.replicas} (default 1..5) and {@code update-env-vars} only changes keys in its
 * {@code safety.env_whitelist}; rate limits and spacing are the core engine's guards (see {@link DockerSafety}).
 */
public final class DockerActions implements ActionProvider {
    /** The label Docker Compose puts the service name in. */
    public static final String COMPOSE_SERVICE_LABEL = "com.docker.compose.service";
    /** The label Docker Compose puts the project name in (reported as the namespace of touched containers). */
    public static final String COMPOSE_PROJECT_LABEL = "com.docker.compose.project";

    private final List<Action> actions;

    /** Actions on {@code DOCKER_HOST} (or the default socket), connected lazily, with an in-memory history. */
    public DockerActions() {
        this(builder());
    }

    /** Actions on this client with an in-memory history. */
    public DockerActions(DockerClient client) {
        this(builder().client(client, "the configured Docker engine"));
    }

    private DockerActions(Builder b) {
        Supplier<DockerClient> supplier = b.client != null ? () -> b.client : new Lazy(b.host);
        var engine = new Engine(supplier, b.hostDescription != null ? b.hostDescription : b.host);
        actions = ContainerActions.all(new Shared(engine, b.history, b.serviceLabel, b.projectLabel,
                (int) b.stopTimeout.toSeconds(), b.startupGrace, b.guards));
    }

    /** A builder: engine, history, service label, timeouts, the store of per-container counts. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Action> actions() {
        return actions;
    }

    @Override
    public String id() {
        return "docker";
    }

    private static final class Lazy implements Supplier<DockerClient> {
        private final String host;
        private volatile DockerClient client;

        Lazy(String host) {
            this.host = host;
        }

        @Override
        public DockerClient get() {
            DockerClient c = client;
            if (c == null) {
                synchronized (this) {
                    if (client == null) {
                        client = DockerClients.connect(host);
                    }
                    c = client;
                }
            }
            return c;
        }
    }

    /** Builds {@link DockerActions}; each setter validates its value. */
    public static final class Builder {
        private DockerClient client;
        private String host = DockerClients.hostFromEnvironment();
        private String hostDescription;
        private ContainerHistory history = new InMemoryContainerHistory();
        private String serviceLabel = COMPOSE_SERVICE_LABEL;
        private String projectLabel = COMPOSE_PROJECT_LABEL;
        private Duration stopTimeout = Duration.ofSeconds(10);
        private Duration startupGrace = Duration.ofSeconds(2);
        private GuardStore guards = new InMemoryGuardStore();

        private Builder() {
        }

        /** Connect (lazily) to this engine address, for instance {@code unix:///run/podman/podman.sock}. */
        public Builder host(String host) {
            DockerClients.checkHost(host);
            this.host = host;
            this.client = null;
            this.hostDescription = null;
            return this;
        }

        /** Use this client; {@code description} names the engine in error messages (its socket or URL). */
        public Builder client(DockerClient client, String description) {
            this.client = Objects.requireNonNull(client, "client");
            this.hostDescription = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Where mutating actions record the specs they replace (default in memory). */
        public Builder history(ContainerHistory history) {
            this.history = Objects.requireNonNull(history, "history");
            return this;
        }

        /** The label whose value names a container's service (default Compose's). */
        public Builder serviceLabel(String label) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("service label must not be blank");
            }
            this.serviceLabel = label;
            return this;
        }

        /** The label whose value is reported as a touched container's namespace (default Compose's project). */
        public Builder projectLabel(String label) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("project label must not be blank");
            }
            this.projectLabel = label;
            return this;
        }

        /** How long a stop waits before killing (default 10 s). */
        public Builder stopTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new IllegalArgumentException("stop timeout must be zero or more, got " + timeout);
            }
            this.stopTimeout = timeout;
            return this;
        }

        /** How long a recreated container must keep running before the old one is removed (default 2 s). */
        public Builder startupGrace(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw new IllegalArgumentException("startup grace must be zero or more, got " + grace);
            }
            this.startupGrace = grace;
            return this;
        }

        /**
         * Where the actions count their uses per container (default: in memory, for this instance). The runbook's
         * {@code max_action_per_resource_per_hour} is counted here per container an action resolves, whatever
         * name, id or selector text named it; give the engine's store so that replicas of a host share the counts
         * (the keys do not collide with the engine's own).
         */
        public Builder guardStore(GuardStore store) {
            this.guards = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The actions. */
        public DockerActions build() {
            return new DockerActions(this);
        }
    }
}
