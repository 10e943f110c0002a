package dev.runbook.docker;

import dev.runbook.core.model.Safety;
import java.time.Duration;

/**
 * The safety profile of seed 002's executor as a core {@link Safety}: replicas 1..5, at most 10 mutating
 * actions an hour, at most 3 {@code restart-container} per container an hour, at least 5 s between
 * actions. The core engine's guards enforce each limit (atomically, through its guard store); the replica
 * bounds and the env whitelist are enforced by {@code scale-service} and {@code update-env-vars}.
 */
public final class DockerSafety {
    /** Seed 002's replica bounds. */
    public static final int MIN_REPLICAS = 1;
    /** Seed 002's replica bounds. */
    public static final int MAX_REPLICAS = 5;
    /** Seed 002: mutating actions an hour, across runbooks. */
    public static final int MAX_ACTIONS_PER_HOUR = 10;
    /** Seed 002: restarts of one container an hour. */
    public static final int MAX_RESTARTS_PER_CONTAINER_PER_HOUR = 3;
    /** Seed 002: time between two actions. */
    public static final Duration MIN_ACTION_SPACING = Duration.ofSeconds(5);

    private DockerSafety() {
    }

    /** The seed's limits, with no env whitelist (so {@code update-env-vars} changes nothing until one is set). */
    public static Safety seedDefaults() {
        return builder().build();
    }

    /** A core safety builder preset with the seed's limits; change any of them before {@code build()}. */
    public static Safety.Builder builder() {
        return Safety.builder()
                .replicas(MIN_REPLICAS, MAX_REPLICAS)
                .maxActionsPerHour(MAX_ACTIONS_PER_HOUR)
                .maxActionPerResourcePerHour("restart-container", MAX_RESTARTS_PER_CONTAINER_PER_HOUR)
                .minActionSpacing(MIN_ACTION_SPACING);
    }
}
