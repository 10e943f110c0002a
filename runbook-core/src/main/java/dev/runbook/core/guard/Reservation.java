package dev.runbook.core.guard;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link GuardStore#tryReserve}: granted (locks held, events counted) or refused with the
 * {@link Refusal} of the first claim that failed. {@link #release}, {@link #cancel} and {@link #renew} may be
 * called from any thread; release and cancel are idempotent.
 *
 * <p>Locks are leases: the holder renews them while it lives ({@link #renew}), and a claim's ttl only bounds
 * how long a dead holder blocks others.
 */
public interface Reservation {

    /** Whether every claim was granted. */
    boolean granted();

    /** Why not, when refused. */
    Optional<Refusal> refusal();

    /** Why not, worded by core the same way for every store. */
    default Optional<String> denialReason() {
        return refusal().map(Refusal::reason);
    }

    /** Releases the locks; the counted events stay counted (the execution happened). */
    void release();

    /** Releases the locks and uncounts the events: the execution did not happen after all (a later guard denied it). */
    void cancel();

    /**
     * Extends every lock of this reservation to {@code now} plus its claim's ttl (a store with its own clock uses
     * that instead of {@code now}).
     *
     * @return false when a lock is no longer this reservation's (it expired and another holder took it, or it was
     *         released): the caller has lost its exclusivity
     * @throws RuntimeException when the store cannot be reached; the lease then runs out at its old expiry
     */
    boolean renew(Instant now);

    /** A refused reservation. */
    static Reservation refused(Refusal refusal) {
        Objects.requireNonNull(refusal, "refusal");
        return new Reservation() {
            @Override
            public boolean granted() {
                return false;
            }

            @Override
            public Optional<Refusal> refusal() {
                return Optional.of(refusal);
            }

            @Override
            public void release() {
                // nothing was taken
            }

            @Override
            public void cancel() {
                // nothing was taken
            }

            @Override
            public boolean renew(Instant now) {
                return false;
            }
        };
    }
}
