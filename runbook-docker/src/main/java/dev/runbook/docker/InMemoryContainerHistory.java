package dev.runbook.docker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/** A {@link ContainerHistory} in memory: lost when the process ends. Keeps at most {@code capacity} entries. */
public final class InMemoryContainerHistory implements ContainerHistory {
    private final int capacity;
    private final List<HistoryEntry> entries = new ArrayList<>();
    private long sequence;

    /** A history keeping the latest 1000 entries. */
    public InMemoryContainerHistory() {
        this(1000);
    }

    /** A history keeping the latest {@code capacity} entries. */
    public InMemoryContainerHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized HistoryEntry record(String executionId, Instant at, String action, HistoryEntry.Kind kind,
                                            String target, String serviceLabel, List<ContainerSpec> previous) {
        var e = new HistoryEntry(++sequence, executionId, at, action, kind, target, serviceLabel, previous);
        entries.add(e);
        if (entries.size() > capacity) {
            entries.remove(0);
        }
        return e;
    }

    @Override
    public synchronized List<HistoryEntry> entries(HistoryEntry.Kind kind, String target) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        return entries.stream().filter(e -> e.kind() == kind && e.target().equals(target)).toList();
    }

    @Override
    public synchronized void remove(List<HistoryEntry> gone) {
        var ids = new HashSet<Long>();
        gone.forEach(e -> ids.add(e.sequence()));
        entries.removeIf(e -> ids.contains(e.sequence()));
    }

    /** Every entry, oldest first. */
    public synchronized List<HistoryEntry> all() {
        return List.copyOf(entries);
    }
}
