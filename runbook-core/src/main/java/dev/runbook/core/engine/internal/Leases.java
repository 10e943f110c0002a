package dev.runbook.core.engine.internal;

import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one execution holds in the guard store: its reservations, and the renewal that keeps their locks
 * alive while the execution lives. A store that fails to grant refuses (fail closed); a store that fails to
 * release is asked again and logged, never thrown at the host.
 */
final class Leases {
    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
    private static final int RELEASE_TRIES = 3;

    private final EngineConfig cfg;
    private final String owner;
    private final List<Reservation> held = new ArrayList<>();
    private final Set<String> lockedKeys = new HashSet<>();
    private volatile String lost;
    private volatile boolean journalLease;
    private ScheduledFuture<?> renewal;

    Leases(EngineConfig cfg, String owner) {
        this.cfg = cfg;
        this.owner = owner;
    }

    /** Asks the store; a store that throws refuses. */
    Reservation reserve(List<LockClaim> locks, List<dev.runbook.core.guard.CounterClaim> counters,
                        List<dev.runbook.core.guard.SpacingClaim> spacings) {
        return reserve(locks, counters, spacings, List.of());
    }

    /** Asks the store, checking {@code pauses} in the same request; a store that throws refuses. */
    synchronized Reservation reserve(List<LockClaim> locks, List<dev.runbook.core.guard.CounterClaim> counters,
                                     List<dev.runbook.core.guard.SpacingClaim> spacings,
                                     List<dev.runbook.core.guard.PauseClaim> pauses) {
        Reservation r;
        try {
            r = cfg.guardStore().tryReserve(new ReservationRequest(owner, cfg.clock().instant(), locks, counters,
                    spacings, pauses));
        } catch (RuntimeException e) {
            LOG.warn("execution {}: guard store failed, refusing: {}", owner, e.toString());
            r = Reservation.refused(new Refusal.StoreFailed(Messages.rootMessage(e)));
        }
        if (r.granted()) {
            held.add(r);
            locks.forEach(l -> lockedKeys.add(l.key()));
            if (!locks.isEmpty()) {
                startRenewal();
            }
        }
        return r;
    }

    /** From now on the renewal also extends the execution's owner lease in the journal. */
    void journalLease(boolean on) {
        this.journalLease = on;
    }

    /** Starts the renewal now, even with no lock held (a recovery renews only its journal lease). */
    synchronized void startRenewal() {
        if (renewal == null) {
            long every = Math.max(1, cfg.leaseRenewalInterval().toMillis());
            renewal = cfg.leaseRenewal().scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** The keys of the locks this execution holds. */
    synchronized java.util.Set<String> lockedKeys() {
        return java.util.Set.copyOf(lockedKeys);
    }

    /**
     * Counts locks that the execution holds through another context of it (the engine that planned it, which renews
     * them) as held here too, so that a step run elsewhere does not ask for them again.
     */
    synchronized void heldElsewhere(java.util.Collection<String> keys) {
        lockedKeys.addAll(keys);
    }

    /** Whether this execution holds the lock of this key. */
    synchronized boolean holds(String key) {
        return lockedKeys.contains(key);
    }

    /** Why a lock is no longer this execution's, when one was lost. */
    Optional<String> lost() {
        return Optional.ofNullable(lost);
    }

    private void renew() {
        if (journalLease) {
            try {
                cfg.journal().renewLease(owner, cfg.owner(), cfg.clock().instant().plus(cfg.lockTtl()));
            } catch (RuntimeException e) {
                LOG.warn("execution {}: could not renew its journal lease: {}", owner, e.toString());
            }
        }
        List<Reservation> now;
        synchronized (this) {
            now = List.copyOf(held);
        }
        for (Reservation r : now) {
            try {
                if (!r.renew(cfg.clock().instant())) {
                    lost = "a lock of this execution expired and was taken by another execution";
                    LOG.error("execution {}: lost a lock lease; its next change is refused", owner);
                }
            } catch (RuntimeException e) {
                // The lease still runs until its old expiry; the next tick tries again.
                LOG.warn("execution {}: could not renew its locks: {}", owner, e.toString());
            }
        }
    }

    /** Gives everything back uncounted: the execution did not happen. */
    void cancelAll() {
        finish(Reservation::cancel, "cancel");
    }

    /** Releases the locks; counted events stay counted. */
    void releaseAll() {
        finish(Reservation::release, "release");
    }

    /**
     * Stops renewing and forgets the reservations without releasing them: counted events stay counted and the locks
     * stay held until their ttl runs out, as if the execution had run that long (a backtest's decision).
     */
    synchronized void keepUntilExpiry() {
        held.clear();
        lockedKeys.clear();
        if (renewal != null) {
            renewal.cancel(false);
            renewal = null;
        }
    }

    /**
     * Keeps the locks (and renewing them) until every attempt in {@code alive} has ended, then releases them:
     * an abandoned attempt may still change what they protect.
     */
    void releaseWhenEnded(List<AttemptHandle> alive) {
        AtomicInteger left = new AtomicInteger(alive.size());
        for (AttemptHandle h : alive) {
            h.whenEnded(() -> {
                if (left.decrementAndGet() == 0) {
                    LOG.info("execution {}: abandoned attempts ended; releasing its locks", owner);
                    releaseAll();
                }
            });
        }
    }

    private void finish(java.util.function.Consumer<Reservation> op, String what) {
        List<Reservation> all;
        synchronized (this) {
            all = List.copyOf(held);
            held.clear();
            lockedKeys.clear();
            if (renewal != null) {
                renewal.cancel(false);
                renewal = null;
            }
        }
        for (Reservation r : all) {
            for (int tryNo = 1; ; tryNo++) {
                try {
                    op.accept(r);
                    break;
                } catch (RuntimeException e) {
                    if (tryNo >= RELEASE_TRIES) {
                        LOG.error("execution {}: could not {} its guard reservation after {} tries (locks expire with "
                                + "their ttl {}): {}", owner, what, tryNo, cfg.lockTtl(), e.toString());
                        break;
                    }
                    LOG.warn("execution {}: {} of its guard reservation failed (try {}), retrying: {}", owner, what,
                            tryNo, e.toString());
                    pause(Duration.ofMillis(100L << tryNo));
                }
            }
        }
    }

    private void pause(Duration d) {
        try {
            cfg.sleeper().sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
