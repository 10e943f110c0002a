package dev.runbook.dashboard.internal;

import dev.runbook.core.engine.Execution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** The finished executions the dashboard keeps, newest last, bounded: the oldest goes when it is full. Thread-safe. */
public final class History {

    /**
     * One page, newest first.
     *
     * @param items the executions of the page
     * @param page  its number, from 0
     * @param size  executions per page
     * @param total executions kept
     */
    public record Page(List<Execution> items, int page, int size, int total) {
        public Page {
            items = List.copyOf(items);
        }

        /** How many pages there are (at least 1). */
        public int pages() {
            return Math.max(1, (total + size - 1) / size);
        }
    }

    private final int capacity;
    private final LinkedHashMap<String, Execution> byId = new LinkedHashMap<>();

    public History(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history must keep at least 1 execution, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Keeps an execution (a recovered one may come again under its id: the newer record wins). */
    public synchronized void add(Execution e) {
        byId.remove(e.id());
        byId.put(e.id(), e);
        if (byId.size() > capacity) {
            var it = byId.values().iterator();
            it.next();
            it.remove();
        }
    }

    /** The execution of this id, if kept. */
    public synchronized Optional<Execution> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Page {@code page} (from 0) of {@code size}, newest first; a page past the end is empty. */
    public synchronized Page page(int page, int size) {
        if (page < 0) {
            throw new IllegalArgumentException("page must be 0 or more, got " + page);
        }
        if (size < 1 || size > 500) {
            throw new IllegalArgumentException("size must be between 1 and 500, got " + size);
        }
        int total = byId.size();
        long skip = (long) page * size;
        var items = new ArrayList<Execution>(size);
        if (skip < total) {
            // Newest first: walk a snapshot from its end.
            List<Execution> all = new ArrayList<>(byId.values());
            for (int i = total - 1 - (int) skip; i >= 0 && items.size() < size; i--) {
                items.add(all.get(i));
            }
        }
        return new Page(items, page, size, total);
    }

    /** Every execution kept, oldest first. */
    public synchronized List<Execution> all() {
        return List.copyOf(byId.values());
    }
}
