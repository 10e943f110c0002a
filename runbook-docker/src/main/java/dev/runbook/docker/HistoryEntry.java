package dev.runbook.docker;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change a mutating action made, with what was there before.
 *
 * @param sequence    increasing number given by the history (orders entries recorded in the same instant)
 * @param executionId the runbook execution that made the change
 * @param at          when (engine clock)
 * @param action      the action's name
 * @param kind        whether {@code target} is a container name or a service
 * @param target      the container name, or the service label's value
 * @param serviceLabel the label that defines the service (for {@link Kind#SERVICE}; empty otherwise)
 * @param previous    the specs before the change: one container, or every replica of the service
 */
public record HistoryEntry(long sequence, String executionId, Instant at, String action, Kind kind, String target,
                           String serviceLabel, List<ContainerSpec> previous) {
    public HistoryEntry {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(serviceLabel, "serviceLabel");
        previous = List.copyOf(previous);
    }

    /** What a history entry is about. */
    public enum Kind {
        /** One container, by name. */
        CONTAINER,
        /** The replicas of a service. */
        SERVICE
    }
}
