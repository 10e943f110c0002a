package dev.runbook.docker;

import java.time.Instant;
import java.util.List;

/**
 * Where mutating Docker actions record the specs they replace, for {@code rollback-deployment}. The default
 * is {@link InMemoryContainerHistory}; hosts that need rollbacks across restarts implement this SPI over
 * their own store. Implementations are thread-safe.
 */
public interface ContainerHistory {

    /**
     * Records a change and returns the stored entry (with its sequence number).
     *
     * @param previous the specs before the change
     */
    HistoryEntry record(String executionId, Instant at, String action, HistoryEntry.Kind kind, String target,
                        String serviceLabel, List<ContainerSpec> previous);

    /** The entries about this target, oldest first. */
    List<HistoryEntry> entries(HistoryEntry.Kind kind, String target);

    /** Forgets these entries (after a rollback restored them). */
    void remove(List<HistoryEntry> entries);
}
