package dev.runbook.dashboard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last events, numbered from 1, in a bounded ring: the live stream's source and what a reconnecting
 * client is replayed from ({@code Last-Event-ID}). Appending never blocks on readers; a reader that falls
 * further behind than the ring holds is told so ({@link Batch#gap()}) and reloads.
 */
public final class EventRing {

    /**
     * One event.
     *
     * @param id   its number, increasing from 1
     * @param type the SSE event name ({@code execution.started}, {@code guard}, ...)
     * @param json its data, JSON text
     */
    public record Event(long id, String type, String json) {
    }

    /**
     * Events after a given id.
     *
     * @param events the events, oldest first
     * @param gap    whether events the reader had not seen were already overwritten
     */
    public record Batch(List<Event> events, boolean gap) {
    }

    private final Event[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private long last;
    private long wakes;

    public EventRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("event buffer must hold at least 1 event, got " + capacity);
        }
        this.ring = new Event[capacity];
    }

    /** Appends an event; its id. */
    public long append(String type, String json) {
        lock.lock();
        try {
            long id = ++last;
            ring[(int) ((id - 1) % ring.length)] = new Event(id, type, json);
            appended.signalAll();
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** The id of the newest event, 0 when none. */
    public long lastId() {
        lock.lock();
        try {
            return last;
        } finally {
            lock.unlock();
        }
    }

    /** Events after {@code afterId} that the ring still holds, without waiting. */
    public Batch after(long afterId) {
        lock.lock();
        try {
            return collect(afterId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for an event after {@code afterId}; the events after it (empty on
     * timeout or after {@link #wake()}).
     */
    public Batch await(long afterId, long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            long woken = wakes;
            while (last <= afterId && woken == wakes && nanos > 0) {
                nanos = appended.awaitNanos(nanos);
            }
            return collect(afterId);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting reader now (a server stopping), with what it has. */
    public void wake() {
        lock.lock();
        try {
            wakes++;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Batch collect(long afterId) {
        long from = Math.max(afterId + 1, Math.max(1, last - ring.length + 1));
        // A client may send an id from before a restart, larger than ours: start over from what we hold.
        boolean gap = afterId + 1 < from || afterId > last;
        if (afterId > last) {
            from = Math.max(1, last - ring.length + 1);
        }
        var out = new ArrayList<Event>();
        for (long id = from; id <= last; id++) {
            out.add(ring[(int) ((id - 1) % ring.length)]);
        }
        return new Batch(List.copyOf(out), gap);
    }
}
