package dev.runbook.neo4j;

import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.PauseClaim;
import dev.runbook.core.guard.PauseState;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.neo4j.internal.DatabaseNames;
import dev.runbook.neo4j.internal.GuardCalls;
import dev.runbook.neo4j.internal.GuardSchema;
import dev.runbook.neo4j.internal.GuardSweeper;
import dev.runbook.neo4j.internal.GuardTransactions;
import dev.runbook.neo4j.internal.GuardUpgrade;
import dev.runbook.neo4j.internal.HeldReservation;
import dev.runbook.neo4j.internal.Neo4jErrors;
import dev.runbook.neo4j.internal.PauseTransactions;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.neo4j.driver.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link GuardStore} in Neo4j, so several replicas of a host share rate limits, dedupe and per-resource locks.
 *
 * <p>Graph: one {@code (:RunbookGuardKey {key})} per counter, spacing or lock key (unique constraint), holding
 * the lock as {@code lock_owner, lock_token, lock_expires_at}, its counted times as the list {@code times} (with
 * {@code marks}, which reservation counted each, and {@code keep}, how long they count at most), and how long the
 * key matters as {@code keep_until}: a grant writes its key nodes and nothing else. Times are epoch milliseconds of the {@link TimeSource}: by default the database's clock, read inside each transaction, so
 * replicas whose clocks disagree still count exactly and see the same lease expiry.
 *
 * <p>A request is one statement, run as its own transaction (one Bolt round trip): it first write-locks the key
 * nodes it needs, in sorted key order, then reads the time, checks locks, counters and spacings, then adds its times
 * and takes locks; so concurrent requests on one key serialise in the database and every grant is exact across
 * hosts. Deadlocks and other transient errors, which Neo4j rolls back, are retried with the project's backoff
 * (release, cancel and renewal likewise, one statement each). A lock is a lease until {@code now + ttl};
 * {@link Reservation#renew} extends it, an expired one is taken over, and a late release or renewal by its
 * former holder changes nothing (the token differs).
 *
 * <p>Auto-pause ({@code safety.pause_after}): one {@code (:RunbookGuardPause {key})} per runbook (unique) and one
 * {@code (:RunbookGuardFailure {key, at, execution})} per recorded failure (indexed on {@code key, at}); see
 * {@link #recordFailure}. A request's pause check is part of its reservation statement.
 *
 * <p>Failures: {@link #tryReserve} never throws for a store failure; it refuses with {@link Refusal.StoreFailed}
 * naming the cause (fails closed). {@link Reservation#release}, {@link Reservation#cancel} and
 * {@link Reservation#renew} throw an {@link IllegalStateException} when Neo4j cannot be reached; they stay
 * idempotent and may be called again (a lock left behind expires with its ttl), as does {@link #releaseLocksOf}
 * (recovery's way to free the locks of an execution whose host died). {@link Builder#build} creates the schema and
 * throws if it cannot.
 *
 * <p>At most {@link Builder#maxConcurrentRequests} calls per store talk to Neo4j at once; the rest wait in arrival
 * order. A key's times older than the retention (or the longest window asked of it) are dropped by the grant that
 * adds the next, and once a minute (of decision time) a release or cancel is followed by a sweep deleting up to
 * {@value GuardTransactions#SWEEP_KEYS} stale keys (no live lock, nothing left to count), and by another after every
 * release or cancel while stale keys are left, so the graph does not grow with every resource ever seen. A decision
 * never sweeps: it pays for its own checks and writes only, and housekeeping happens as executions end.
 */
public final class Neo4jGuardStore implements GuardStore {
    private static final Logger LOG = LoggerFactory.getLogger(Neo4jGuardStore.class);

    /** Whose clock windows, spacings and lease expiry are measured with. */
    public enum TimeSource {
        /**
         * The database's clock, read inside each transaction (the default): every replica measures with one clock,
         * so skewed host clocks neither over-grant nor stretch a lease. {@link ReservationRequest#now()} and the
         * {@code now} given to {@link Reservation#renew} are ignored.
         */
        DATABASE,
        /**
         * {@link ReservationRequest#now()}, the engine clock: for tests that drive time. Replicas must then have
         * synchronised clocks, as skew shifts their windows apart.
         */
        REQUEST
    }

    private final Duration retention;
    private final TimeSource timeSource;
    /** Calls in flight to Neo4j; a decision takes one itself, every other call through {@link #calls}. */
    private final Semaphore permits;
    private final GuardCalls calls;
    private final GuardSweeper sweeper;
    /**
     * Per pause key: the monitor its failures are recorded under in this process, holding whether this store has
     * created the key's node (nothing deletes them), so only a runbook's first failure pays the creating statement.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Object[]> pauseNodes = new java.util.concurrent.ConcurrentHashMap<>();

    private Neo4jGuardStore(Builder b) {
        this.retention = b.retention;
        this.timeSource = b.timeSource;
        this.permits = new Semaphore(b.maxConcurrentRequests, true);
        this.calls = new GuardCalls(b.driver, Optional.ofNullable(b.database), permits, b.sleeper);
        this.sweeper = new GuardSweeper(calls, LOG);
    }

    /** A builder; {@link Builder#driver} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The clock this store measures with. */
    public TimeSource timeSource() {
        return timeSource;
    }

    @Override
    public Reservation tryReserve(ReservationRequest request) {
        Objects.requireNonNull(request, "request");
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reservation.refused(new Refusal.StoreFailed("interrupted while waiting for the guard store"));
        }
        try {
            GuardTransactions.Outcome out = calls.statement(session -> GuardTransactions.reserve(session, request,
                    timeSource == TimeSource.DATABASE, retention));
            if (out.refusal().isPresent()) {
                return Reservation.refused(out.refusal().get());
            }
            GuardTransactions.Taken taken = out.taken().orElseThrow();
            sweeper.granted(taken.at());
            return new HeldReservation(taken, calls, sweeper, timeSource == TimeSource.REQUEST);
        } catch (RuntimeException e) {
            // whatever went wrong (driver closed, Neo4j down, a bug in a statement), safety state fails closed
            String cause = Neo4jErrors.describe(e);
            LOG.warn("guard store failed, refusing {}: {}", request.owner(), cause);
            return Reservation.refused(new Refusal.StoreFailed(cause));
        } finally {
            permits.release();
        }
    }

    /**
     * Frees every lock whose holder is {@code owner} (an execution id) in one write transaction, whatever its
     * token: recovery calls it for an execution whose host died. Its counted events stay counted.
     *
     * @return true (the locks are free)
     * @throws IllegalStateException when Neo4j cannot be used (the locks then expire with their ttl)
     */
    @Override
    public boolean releaseLocksOf(String owner) {
        Objects.requireNonNull(owner, "owner");
        int freed = calls.withPermit("free the locks of " + owner + " (they expire with their ttl)",
                () -> calls.statement(session -> GuardTransactions.releaseAll(session, owner)));
        LOG.debug("freed {} lock(s) of {}", freed, owner);
        return true;
    }

    /**
     * Records a failure of a runbook with {@code pause_after} in one auto-commit statement that write-locks the
     * runbook's {@code :RunbookGuardPause} node, so racing failures on every host sharing the database serialise
     * and exactly one pauses it. Measured with this store's {@link TimeSource}.
     *
     * @throws IllegalStateException when Neo4j cannot be used (the failure is not recorded)
     */
    @Override
    public Optional<PauseState> recordFailure(PauseClaim claim, String executionId, Instant at) {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(executionId, "executionId");
        // Failures of one runbook in this process go one at a time: the database's lock alone makes the count exact
        // across hosts, but many statements of one host waiting on it deadlock-storm past the retries.
        synchronized (pauseNodes.computeIfAbsent(claim.key(), k -> new Object[1])) {
            Object[] created = pauseNodes.get(claim.key());
            return calls.withPermit("record the failure of " + executionId + " for " + claim.description(), () -> {
                if (created[0] == null) {
                    calls.statement(session -> {
                        PauseTransactions.ensure(session, claim.key());
                        return null;
                    });
                    created[0] = Boolean.TRUE;
                }
                return calls.statement(session -> PauseTransactions.recordFailure(session, claim, executionId,
                        requestTime(at)));
            });
        }
    }

    /**
     * The pause in force for {@code key}, in one read.
     *
     * @throws IllegalStateException when Neo4j cannot be used (treat the runbook as paused)
     */
    @Override
    public Optional<PauseState> pauseState(String key) {
        Objects.requireNonNull(key, "key");
        return calls.withPermit("read the pause of " + key,
                () -> calls.statement(session -> PauseTransactions.state(session, key)));
    }

    /**
     * Lifts the pause of {@code key} and deletes its recorded failures, in one statement; every store on the database
     * sees it at once.
     *
     * @throws IllegalStateException when Neo4j cannot be used (the runbook stays paused)
     */
    @Override
    public boolean resume(String key, String who, Instant at) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(who, "who");
        return calls.withPermit("resume " + key, () -> calls.statement(session -> PauseTransactions.resume(session, key,
                who, requestTime(at))));
    }

    private Optional<Instant> requestTime(Instant at) {
        return timeSource == TimeSource.REQUEST ? Optional.of(Objects.requireNonNull(at, "at")) : Optional.empty();
    }

    /** Builds a {@link Neo4jGuardStore}. */
    public static final class Builder {
        private Driver driver;
        private String database;
        private Duration retention = Duration.ofDays(1);
        private int maxConcurrentRequests = 32;
        private TimeSource timeSource = TimeSource.DATABASE;
        private Sleeper sleeper = Sleeper.system();

        private Builder() {
        }

        /** How the store waits before running a statement again after a deadlock (default {@link Sleeper#system()}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The driver (required; the host owns and closes it). Its max transaction retry time bounds deadlock retries. */
        public Builder driver(Driver driver) {
            this.driver = Objects.requireNonNull(driver, "driver");
            return this;
        }

        /** The database (default: the server's default). */
        public Builder database(String database) {
            this.database = DatabaseNames.checked(database);
            return this;
        }

        /** How long counted times and unused keys are kept at least (default 1 day; a longer window keeps them longer). */
        public Builder retention(Duration retention) {
            if (Objects.requireNonNull(retention, "retention").isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention must be positive, got " + retention);
            }
            this.retention = retention;
            return this;
        }

        /**
         * Whose clock to measure with (default {@link TimeSource#DATABASE}). Every store sharing a database must use
         * the same source.
         */
        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        /**
         * Most store calls in flight at once from this store (default 32); more wait their turn. Keeps a burst of
         * executions from overflowing the driver's connection pool and its acquisition queue.
         */
        public Builder maxConcurrentRequests(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConcurrentRequests must be at least 1, got " + n);
            }
            this.maxConcurrentRequests = n;
            return this;
        }

        /**
         * Creates the store and its constraint and indexes (already there: nothing to do), and folds the events an
         * earlier version kept as nodes into their keys.
         *
         * @throws IllegalStateException without a driver, or when the schema cannot be created (Neo4j unreachable,
         *                               duplicate keys, no schema rights) or the old events cannot be folded: the
         *                               message names the statement, Neo4j's error and the fix
         */
        public Neo4jGuardStore build() {
            if (driver == null) {
                throw new IllegalStateException("Neo4jGuardStore needs a driver: call driver(...)");
            }
            Neo4jGuardStore store = new Neo4jGuardStore(this);
            GuardSchema.create(driver, store.calls.config());
            GuardUpgrade.foldOldEvents(store.calls, store.retention, LOG);
            return store;
        }
    }
}
