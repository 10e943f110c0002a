package dev.runbook.neo4j.internal;

import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A reservation the Neo4j guard store granted: releases, cancels and renews what the grant took, one statement each,
 * and has stale keys swept after a release or cancel. Release and cancel are idempotent: once done they cost nothing,
 * and a failed one may be called again.
 */
public final class HeldReservation implements Reservation {
    private final GuardTransactions.Taken taken;
    private final GuardCalls calls;
    private final GuardSweeper sweeper;
    /** Whether renewals measure with the caller's {@code now} rather than the database's clock. */
    private final boolean requestTime;
    private boolean released;
    private boolean uncounted;

    public HeldReservation(GuardTransactions.Taken taken, GuardCalls calls, GuardSweeper sweeper, boolean requestTime) {
        this.taken = taken;
        this.calls = calls;
        this.sweeper = sweeper;
        this.requestTime = requestTime;
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
    public synchronized void release() {
        if (released) {
            return;
        }
        calls.withPermit("release locks " + lockKeys() + " (they expire with their ttl)", () -> calls.statement(session -> {
            GuardTransactions.release(session, taken);
            return null;
        }));
        released = true;
        sweeper.sweepIfDue();
    }

    @Override
    public synchronized void cancel() {
        if (released && uncounted) {
            return;
        }
        calls.withPermit("cancel a reservation (its locks expire with their ttl, its events stay counted)",
                () -> calls.statement(session -> {
                    // a released lock's token no longer matches, so freeing again changes nothing
                    GuardTransactions.cancel(session, taken);
                    return null;
                }));
        released = true;
        uncounted = true;
        sweeper.sweepIfDue();
    }

    @Override
    public synchronized boolean renew(Instant now) {
        Objects.requireNonNull(now, "now");
        if (taken.locks().isEmpty()) {
            return true;
        }
        if (released) {
            return false;
        }
        Optional<Instant> at = requestTime ? Optional.of(now) : Optional.empty();
        int renewed = calls.withPermit("renew locks " + lockKeys() + " (they expire at their old time)",
                () -> calls.statement(session -> GuardTransactions.renew(session, taken, at)));
        return renewed == taken.locks().size();
    }

    private String lockKeys() {
        return taken.locks().stream().map(l -> (String) l.get("key")).toList().toString();
    }
}
