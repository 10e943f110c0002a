package dev.runbook.core.guard;

import java.time.Instant;
import java.util.Optional;

/**
 * Holds the state behind the guardrails: sliding-window counters, spacings and expiring locks.
 * Implementations must grant a {@link ReservationRequest} atomically and exactly under concurrency: with
 * a limit of 5, a thousand racing requests get exactly 5 grants. {@link InMemoryGuardStore} serves one
 * process; a shared store (Neo4j) lets several replicas of a host share limits.
 */
public interface GuardStore {

    /**
     * Grants all claims of the request, or none, and says why not. A paused key among
     * {@link ReservationRequest#pauses()} refuses with {@link Refusal.Paused} first; a store without auto-pause
     * must refuse a request that lists pauses rather than ignore them (safety state fails closed).
     */
    Reservation tryReserve(ReservationRequest request);

    /**
     * Frees every lock {@code owner} (an execution id) still holds; counted events stay counted. Recovery calls it
     * for an execution whose host died. The default frees nothing: such locks then expire with their ttl.
     *
     * @return whether the store freed them (false: they expire with their ttl)
     */
    default boolean releaseLocksOf(String owner) {
        return false;
    }

    /**
     * Records that execution {@code executionId} of a runbook with auto-pause failed (or was rolled back), and
     * pauses the runbook when this failure makes {@link PauseClaim#failures()} within {@link PauseClaim#within()}
     * (failures recorded before the last {@link #resume} do not count). Atomic and exact under concurrency, across
     * every store instance sharing the state: of racing failures, exactly one pauses the runbook. A failure recorded
     * while the runbook is already paused is counted but pauses nothing anew.
     *
     * <p>From then on every {@link #tryReserve} whose request lists a {@link PauseClaim} with this key is refused
     * with {@link Refusal.Paused}, on every store instance sharing the state, until {@link #resume}.
     *
     * @param at when the failure happened (engine clock; a store with its own clock uses that instead)
     * @return the pause this failure caused, or empty when it did not pause the runbook
     * @throws RuntimeException when the store cannot record it
     * @throws UnsupportedOperationException by a store without auto-pause (the default)
     */
    default Optional<PauseState> recordFailure(PauseClaim claim, String executionId, Instant at) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support safety.pause_after");
    }

    /**
     * The pause in force for {@code key} ({@link PauseClaim#keyOf(String)}), if any.
     *
     * @throws RuntimeException when the store cannot say (callers treat the runbook as paused: fail closed)
     * @throws UnsupportedOperationException by a store without auto-pause (the default)
     */
    default Optional<PauseState> pauseState(String key) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support safety.pause_after");
    }

    /**
     * Lifts the pause of {@code key} and forgets the failures recorded up to now, so they cannot pause it again;
     * the next {@link PauseClaim#failures()} failures within the window pause it anew. Idempotent.
     *
     * @param who who resumed it (kept with the key for the record)
     * @param at  when (engine clock; a store with its own clock uses that instead)
     * @return whether the key was paused
     * @throws RuntimeException when the store cannot resume it (the runbook stays paused)
     * @throws UnsupportedOperationException by a store without auto-pause (the default)
     */
    default boolean resume(String key, String who, Instant at) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support safety.pause_after");
    }
}
