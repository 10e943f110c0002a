package dev.runbook.core.guard;

import java.time.Instant;
import java.util.Optional;

/**
 * The answer of {@link GuardStore#tryReserve}: granted (locks held, events counted) or denied with the
 * reason of the first claim that failed. Both {@link #release} and {@link #cancel} are idempotent.
 */
public interface Reservation {

    /** Whether every claim was granted. */
    boolean granted();

    /** Why not, naming the limit and the values, when denied. */
    Optional<String> denialReason();

    /** Releases the locks; the counted events stay counted (the execution happened). */
    void release();

    /** Releases the locks and uncounts the events: the execution did not happen after all (a later guard denied it). */
    void cancel();

    /** A denied reservation. */
    static Reservation denied(String reason) {
        return new Reservation() {
            @Override
            public boolean granted() {
                return false;
            }

            @Override
            public Optional<String> denialReason() {
                return Optional.of(reason);
            }

            @Override
            public void release() {
                // nothing was taken
            }

            @Override
            public void cancel() {
                // nothing was taken
            }
        };
    }

    /** Marker for the instant a reservation was made, for stores that need it. */
    default Optional<Instant> grantedAt() {
        return Optional.empty();
    }
}
