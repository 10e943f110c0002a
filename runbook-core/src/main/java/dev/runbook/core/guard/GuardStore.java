package dev.runbook.core.guard;

/**
 * Holds the state behind the guardrails: sliding-window counters, spacings and expiring locks.
 * Implementations must grant a {@link ReservationRequest} atomically and exactly under concurrency: with
 * a limit of 5, a thousand racing requests get exactly 5 grants. {@link InMemoryGuardStore} serves one
 * process; a shared store (Neo4j) lets several replicas of a host share limits.
 */
public interface GuardStore {

    /** Grants all claims of the request, or none, and says why not. */
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
}
