package dev.runbook.core.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link GuardStore} for one process. One monitor guards all state, which keeps every grant exact
 * (check and record happen together); reservations are short, so contention costs little next to the
 * actions they guard.
 *
 * <p>Nothing survives a restart: a host that crashes and starts again forgets its counters, cooldowns and
 * locks, so a crash-looping host would get a fresh hourly limit on every start. Several replicas, or a host
 * that must keep its limits through restarts, use a shared durable store (the Neo4j guard store).
 */
public final class InMemoryGuardStore implements GuardStore {
    /** Events older than this are forgotten whatever the windows in use (windows are hours, not days). */
    private static final Duration RETENTION = Duration.ofDays(1);

    private record Event(long id, Instant at) {
    }

    private record Lock(String owner, long id, Instant expiresAt, java.time.Duration ttl) {
    }

    private final Object monitor = new Object();
    private final Map<String, Deque<Event>> events = new HashMap<>();
    private final Map<String, Lock> locks = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Failures per pause key, oldest first, since the last resume. */
    private final Map<String, Deque<Failure>> failures = new HashMap<>();
    private final Map<String, PauseState> paused = new HashMap<>();

    private record Failure(String execution, Instant at) {
    }

    @Override
    public Reservation tryReserve(ReservationRequest request) {
        Instant now = request.now();
        synchronized (monitor) {
            for (PauseClaim claim : request.pauses()) {
                PauseState p = paused.get(claim.key());
                if (p != null) {
                    return Reservation.refused(new Refusal.Paused(claim, p));
                }
            }
            for (LockClaim claim : request.locks()) {
                Lock held = locks.get(claim.key());
                if (held != null && held.expiresAt().isAfter(now)) {
                    return Reservation.refused(new Refusal.LockHeld(claim, held.owner()));
                }
            }
            for (CounterClaim claim : request.counters()) {
                int count = countWithin(claim.key(), claim.window(), now);
                if (count + claim.amount() > claim.limit()) {
                    return Reservation.refused(new Refusal.LimitReached(claim, count));
                }
            }
            for (SpacingClaim claim : request.spacings()) {
                Optional<Instant> last = lastEvent(claim.key());
                if (last.isPresent()) {
                    Duration since = Duration.between(last.get(), now);
                    if (since.compareTo(claim.minSpacing()) < 0) {
                        return Reservation.refused(new Refusal.TooSoon(claim, last.get(), since));
                    }
                }
            }
            // Everything fits: record it all.
            List<String> eventKeys = new ArrayList<>();
            List<Long> eventIds = new ArrayList<>();
            for (CounterClaim claim : request.counters()) {
                for (int i = 0; i < claim.amount(); i++) {
                    long id = ids.incrementAndGet();
                    events.computeIfAbsent(claim.key(), k -> new ArrayDeque<>()).addLast(new Event(id, now));
                    eventKeys.add(claim.key());
                    eventIds.add(id);
                }
            }
            for (SpacingClaim claim : request.spacings()) {
                long id = ids.incrementAndGet();
                events.computeIfAbsent(claim.key(), k -> new ArrayDeque<>()).addLast(new Event(id, now));
                eventKeys.add(claim.key());
                eventIds.add(id);
            }
            Map<String, Long> heldLocks = new HashMap<>();
            for (LockClaim claim : request.locks()) {
                long id = ids.incrementAndGet();
                locks.put(claim.key(), new Lock(request.owner(), id, now.plus(claim.ttl()), claim.ttl()));
                heldLocks.put(claim.key(), id);
            }
            return new Granted(eventKeys, eventIds, heldLocks);
        }
    }

    @Override
    public boolean releaseLocksOf(String owner) {
        synchronized (monitor) {
            locks.values().removeIf(l -> l.owner().equals(owner));
            return true;
        }
    }

    @Override
    public Optional<PauseState> recordFailure(PauseClaim claim, String executionId, Instant at) {
        java.util.Objects.requireNonNull(executionId, "executionId");
        synchronized (monitor) {
            Deque<Failure> list = failures.computeIfAbsent(claim.key(), k -> new ArrayDeque<>());
            Instant from = at.minus(claim.within());
            list.removeIf(f -> !f.at().isAfter(from));
            list.addLast(new Failure(executionId, at));
            if (paused.containsKey(claim.key()) || list.size() < claim.failures()) {
                return Optional.empty();
            }
            var state = new PauseState(claim.key(), at, list.stream().map(Failure::execution).toList(),
                    claim.description());
            paused.put(claim.key(), state);
            return Optional.of(state);
        }
    }

    @Override
    public Optional<PauseState> pauseState(String key) {
        synchronized (monitor) {
            return Optional.ofNullable(paused.get(key));
        }
    }

    @Override
    public boolean resume(String key, String who, Instant at) {
        synchronized (monitor) {
            failures.remove(key);
            return paused.remove(key) != null;
        }
    }

    private int countWithin(String key, Duration window, Instant now) {
        Deque<Event> deque = events.get(key);
        if (deque == null) {
            return 0;
        }
        prune(deque, now);
        Instant from = now.minus(window);
        int n = 0;
        for (Iterator<Event> it = deque.descendingIterator(); it.hasNext(); ) {
            if (it.next().at().isAfter(from)) {
                n++;
            } else {
                break;
            }
        }
        return n;
    }

    private Optional<Instant> lastEvent(String key) {
        Deque<Event> deque = events.get(key);
        return deque == null || deque.isEmpty() ? Optional.empty() : Optional.of(deque.peekLast().at());
    }

    private static void prune(Deque<Event> deque, Instant now) {
        Instant horizon = now.minus(RETENTION);
        while (!deque.isEmpty() && deque.peekFirst().at().isBefore(horizon)) {
            deque.pollFirst();
        }
    }


    private final class Granted implements Reservation {
        private final List<String> eventKeys;
        private final List<Long> eventIds;
        private final Map<String, Long> heldLocks;
        private boolean locksReleased;
        private boolean cancelled;

        Granted(List<String> eventKeys, List<Long> eventIds, Map<String, Long> heldLocks) {
            this.eventKeys = eventKeys;
            this.eventIds = eventIds;
            this.heldLocks = heldLocks;
        }

        @Override
        public boolean granted() {
            return true;
        }

        @Override
        public Optional<Refusal> refusal() {
            return Optional.empty();
        }

        @Override
        public boolean renew(Instant now) {
            synchronized (monitor) {
                if (locksReleased) {
                    return heldLocks.isEmpty();
                }
                boolean all = true;
                for (Map.Entry<String, Long> e : heldLocks.entrySet()) {
                    Lock l = locks.get(e.getKey());
                    if (l == null || l.id() != e.getValue()) {
                        all = false;
                        continue;
                    }
                    locks.put(e.getKey(), new Lock(l.owner(), l.id(), now.plus(l.ttl()), l.ttl()));
                }
                return all;
            }
        }

        @Override
        public void release() {
            synchronized (monitor) {
                if (locksReleased) {
                    return;
                }
                locksReleased = true;
                // Only remove a lock that is still ours: after expiry someone else may hold it.
                heldLocks.forEach((key, id) -> locks.computeIfPresent(key, (k, l) -> l.id() == id ? null : l));
            }
        }

        @Override
        public void cancel() {
            synchronized (monitor) {
                release();
                if (cancelled) {
                    return;
                }
                cancelled = true;
                for (int i = 0; i < eventKeys.size(); i++) {
                    long id = eventIds.get(i);
                    Deque<Event> deque = events.get(eventKeys.get(i));
                    if (deque != null) {
                        deque.removeIf(e -> e.id() == id);
                    }
                }
            }
        }
    }
}
