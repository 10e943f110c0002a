package dev.runbook.neo4j;

import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.neo4j.internal.GuardTransactions;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.Neo4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link GuardStore} in Neo4j, so several replicas of a host share rate limits, dedupe and per-resource locks.
 *
 * <p>Graph: one {@code (:RunbookGuardKey {key})} per counter, spacing or lock key (unique constraint), holding
 * the lock as {@code lock_owner, lock_token, lock_expires_at}; one {@code (:RunbookGuardEvent {id, key, at,
 * owner})} per counted event (indexed on {@code key, at}). Times are the engine clock's, in epoch milliseconds.
 *
 * <p>A request runs in one write transaction: it first write-locks the key nodes it needs, in sorted key order
 * (MERGE, then SET a property), then checks locks, counters and spacings, then records events and takes locks;
 * so concurrent requests on one key serialise in the database and every grant is exact across hosts. Deadlock
 * and other transient errors are retried by the driver's managed transactions. A lock expires at
 * {@code now + ttl}; an expired lock is taken over, and a late release by its former holder frees nothing (the
 * token differs). {@link Reservation#release} and {@link Reservation#cancel} are idempotent; if Neo4j fails
 * during one, it is logged and may be called again (a lock left behind expires with its ttl).
 *
 * <p>At most {@link Builder#maxConcurrentRequests} calls per store talk to Neo4j at once; the rest wait in
 * arrival order. If Neo4j cannot be reached, {@link #tryReserve} denies (fails closed) naming the error. Events older than
 * the retention (default one day, or the longest window asked for) are deleted as keys are used.
 */
public final class Neo4jGuardStore implements GuardStore {
    private static final Logger LOG = LoggerFactory.getLogger(Neo4jGuardStore.class);
    private final Driver driver;
    private final Optional<String> database;
    private final Duration retention;
    private final Object schemaLock = new Object();
    private final Semaphore permits;
    private volatile boolean schemaReady;

    private Neo4jGuardStore(Builder b) {
        this.driver = b.driver;
        this.database = Optional.ofNullable(b.database);
        this.retention = b.retention;
        this.permits = new Semaphore(b.maxConcurrentRequests, true);
    }

    /** A builder; {@link Builder#driver} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Reservation tryReserve(ReservationRequest request) {
        Objects.requireNonNull(request, "request");
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reservation.denied("interrupted while waiting for the guard store");
        }
        try {
            ensureSchema();
            GuardTransactions.Outcome out;
            try (var session = driver.session(config())) {
                out = session.executeWrite(tx -> GuardTransactions.reserve(tx, request, retention));
            }
            if (out.denial().isPresent()) {
                return Reservation.denied(out.denial().get());
            }
            return new Held(out.taken().orElseThrow());
        } catch (Neo4jException e) {
            LOG.warn("guard store unavailable, denying {}: {}", request.owner(), e.toString());
            return Reservation.denied("guard store unavailable (Neo4j: " + e.getMessage() + ")");
        } finally {
            permits.release();
        }
    }

    /** Runs a release or cancel within the request bound; false if interrupted. */
    private boolean withPermit(Runnable r) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            r.run();
            return true;
        } finally {
            permits.release();
        }
    }

    private void ensureSchema() {
        if (schemaReady) {
            return;
        }
        synchronized (schemaLock) {
            if (schemaReady) {
                return;
            }
            try (var session = driver.session(config())) {
                for (String stmt : GuardTransactions.schemaStatements()) {
                    try {
                        session.run(stmt).consume();
                    } catch (Neo4jException e) {
                        // another host creating it at the same moment can make IF NOT EXISTS fail or deadlock;
                        // MERGE under the constraint still serialises, and the next store start retries
                        LOG.debug("guard schema statement skipped: {}", e.getMessage());
                    }
                }
                session.run("CALL db.awaitIndexes(60)").consume();
            }
            schemaReady = true;
        }
    }

    private SessionConfig config() {
        var b = SessionConfig.builder();
        database.ifPresent(b::withDatabase);
        return b.build();
    }

    private final class Held implements Reservation {
        private final GuardTransactions.Taken taken;
        private boolean released;
        private boolean uncounted;

        Held(GuardTransactions.Taken taken) {
            this.taken = taken;
        }

        @Override
        public boolean granted() {
            return true;
        }

        @Override
        public Optional<String> denialReason() {
            return Optional.empty();
        }

        @Override
        public Optional<Instant> grantedAt() {
            return Optional.of(taken.at());
        }

        @Override
        public synchronized void release() {
            if (released) {
                return;
            }
            withPermit(() -> {
                try (var session = driver.session(config())) {
                    session.executeWrite(tx -> {
                        GuardTransactions.release(tx, taken);
                        return null;
                    });
                    released = true;
                } catch (Neo4jException e) {
                    LOG.warn("could not release guard locks {} (they expire with their ttl): {}", taken.locks(), e.toString());
                }
            });
        }

        @Override
        public synchronized void cancel() {
            if (released && uncounted) {
                return;
            }
            withPermit(() -> {
                try (var session = driver.session(config())) {
                    session.executeWrite(tx -> {
                        if (!released) {
                            GuardTransactions.release(tx, taken);
                        }
                        if (!uncounted) {
                            GuardTransactions.uncount(tx, taken);
                        }
                        return null;
                    });
                    released = true;
                    uncounted = true;
                } catch (Neo4jException e) {
                    LOG.warn("could not cancel guard reservation (locks expire with their ttl): {}", e.toString());
                }
            });
        }
    }

    /** Builds a {@link Neo4jGuardStore}. */
    public static final class Builder {
        private Driver driver;
        private String database;
        private Duration retention = Duration.ofDays(1);
        private int maxConcurrentRequests = 32;

        private Builder() {
        }

        /** The driver (required; the host owns and closes it). Its max transaction retry time bounds deadlock retries. */
        public Builder driver(Driver driver) {
            this.driver = Objects.requireNonNull(driver, "driver");
            return this;
        }

        /** The database (default: the server's default). */
        public Builder database(String database) {
            if (Objects.requireNonNull(database, "database").isBlank()) {
                throw new IllegalArgumentException("database name must not be blank");
            }
            this.database = database;
            return this;
        }

        /** How long counted events are kept at least (default 1 day; a longer window keeps them longer). */
        public Builder retention(Duration retention) {
            if (Objects.requireNonNull(retention, "retention").isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention must be positive, got " + retention);
            }
            this.retention = retention;
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

        public Neo4jGuardStore build() {
            if (driver == null) {
                throw new IllegalStateException("Neo4jGuardStore needs a driver: call driver(...)");
            }
            return new Neo4jGuardStore(this);
        }
    }
}
