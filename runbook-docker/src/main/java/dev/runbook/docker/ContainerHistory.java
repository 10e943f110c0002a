package dev.runbook.docker;

import java.time.Instant;
import java.util.List;

/**
 * Where mutating Docker actions record the specs they replace, for {@code rollback-deployment}. The default
 * is {@link InMemoryContainerHistory}, lost with the process; for rollbacks and crash repair across restarts use
 * {@link JournalContainerHistory} over the engine's durable journal (the Neo4j journal), or implement this SPI over
 * another store. Implementations are thread-safe.
 *
 * <p>Entries are written ahead: an action records the specs it is about to replace <em>before</em> it stops,
 * renames or removes anything, so a host that dies in the middle of a recreate still has the original spec (and
 * whether the container was running) on record for {@link DockerRecovery} and {@code rollback-deployment}. An
 * {@code update-env-vars} that fails and puts the original back removes its entry again; one whose restore failed
 * too keeps it. A persistent implementation should make {@link #record} durable before it returns.
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
