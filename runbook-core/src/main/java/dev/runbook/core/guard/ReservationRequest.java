package dev.runbook.core.guard;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one execution must obtain at once: locks, rate-limit counters and spacings. A
 * {@link GuardStore} grants all of them atomically or none.
 *
 * @param owner    who holds the reservation (the execution id)
 * @param now      the engine clock's time
 * @param locks    locks to take
 * @param counters counters to check and increment
 * @param spacings spacings to check and mark
 * @param pauses   pauses that must not be in force: a paused key refuses the whole request with
 *                 {@link Refusal.Paused}, before any other claim is looked at
 */
public record ReservationRequest(String owner, Instant now, List<LockClaim> locks, List<CounterClaim> counters,
                                 List<SpacingClaim> spacings, List<PauseClaim> pauses) {

    /** A request with no pause to check. */
    public ReservationRequest(String owner, Instant now, List<LockClaim> locks, List<CounterClaim> counters,
                              List<SpacingClaim> spacings) {
        this(owner, now, locks, counters, spacings, List.of());
    }

    public ReservationRequest {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(now, "now");
        locks = List.copyOf(locks);
        counters = List.copyOf(counters);
        spacings = List.copyOf(spacings);
        pauses = List.copyOf(pauses);
    }
}
