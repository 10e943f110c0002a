package dev.runbook.neo4j.internal;

import dev.runbook.core.engine.Sleeper;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * How the Neo4j guard store talks to Neo4j: each guard statement in a session of its own, run again after a
 * transient error, and every call but a decision within the store's bound on requests in flight, its failure turned
 * into an exception that says what could not be done and why. A decision takes the same permits itself, as it
 * refuses rather than throws.
 */
public final class GuardCalls {
    private final Driver driver;
    private final Optional<String> database;
    private final Semaphore permits;
    private final Sleeper sleeper;

    /**
     * @param permits the store's bound on calls in flight, shared with its decisions
     * @param sleeper how to wait before running a statement again after a deadlock
     */
    public GuardCalls(Driver driver, Optional<String> database, Semaphore permits, Sleeper sleeper) {
        this.driver = driver;
        this.database = database;
        this.permits = permits;
        this.sleeper = sleeper;
    }

    /**
     * Runs a store call other than a decision (a release, cancel or renewal, a pause read or write) within the
     * request bound, turning any failure into a clear exception.
     */
    public <T> T withPermit(String what, Supplier<T> work) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before the guard store could " + what, e);
        }
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the Neo4j guard store could not " + what + ": " + Neo4jErrors.describe(e), e);
        } finally {
            permits.release();
        }
    }

    /**
     * Runs one guard statement in a session of its own as an auto-commit transaction (one round trip: the statement
     * commits with its result), again after a deadlock or other transient error, which Neo4j rolled back.
     */
    public <T> T statement(Function<Session, T> work) {
        return TransientRetry.run(() -> {
            try (var session = driver.session(config())) {
                return work.apply(session);
            }
        }, sleeper, ThreadLocalRandom.current());
    }

    /** A session on the store's database, for work in transactions of its own (a sweep, the upgrade's fold). */
    public Session session() {
        return driver.session(config());
    }

    /** The sessions' configuration: the store's database, or the server's default. */
    public SessionConfig config() {
        var b = SessionConfig.builder();
        database.ifPresent(b::withDatabase);
        return b.build();
    }
}
