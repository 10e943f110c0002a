package dev.runbook.neo4j.internal;

import static org.neo4j.driver.Values.parameters;

import dev.runbook.core.guard.PauseClaim;
import dev.runbook.core.guard.PauseState;
import java.time.Instant;
import java.util.Optional;
import org.neo4j.driver.Record;
import org.neo4j.driver.SimpleQueryRunner;
import org.neo4j.driver.Value;

/**
 * The auto-pause statements of the Neo4j guard store, one auto-commit statement each, parameters only. A runbook's
 * pause is one {@code (:RunbookGuardPause {key})} (unique), holding {@code paused_at, executions, description}
 * while paused; each failure is a {@code (:RunbookGuardFailure {key, at, execution, seq})} (indexed on
 * {@code key, at}). Recording and resuming write-lock the pause node first, so racing failures on every host
 * serialise on it and exactly one of them pauses the runbook. The check itself is part of the reservation statement
 * ({@link GuardTransactions}), so a refusal costs no extra round trip.
 */
public final class PauseTransactions {
    /** Failures outside the window deleted per recorded failure at most (bounded work per statement). */
    private static final int PRUNE_FAILURES = 500;

    private PauseTransactions() {
    }

    /**
     * Locks the existing pause node (MATCH, then a write: a MERGE would hold a shared lock on the unique index entry,
     * on which racing statements deadlock), reads the time after the lock, counts the failures within the window
     * before this one, records this one, and pauses when it makes the limit and the runbook is not paused yet.
     */
    static final String RECORD = """
            MATCH (p:RunbookGuardPause) USING INDEX p:RunbookGuardPause(key) WHERE p.key = $key
            SET p.failures_recorded = coalesce(p.failures_recorded, 0) + 1
            WITH collect(p) AS locked
            WITH head(locked) AS p, coalesce($now, datetime.realtime().epochMillis) AS now
            CALL {
              WITH now
              OPTIONAL MATCH (f:RunbookGuardFailure) USING INDEX f:RunbookGuardFailure(key, at)
                WHERE f.key = $key AND f.at > now - $within
              WITH f ORDER BY f.at, f.seq
              RETURN collect(f.execution) AS earlier
            }
            CREATE (:RunbookGuardFailure {key: $key, at: now, execution: $execution, seq: p.failures_recorded})
            WITH p, now, earlier + [$execution] AS recent
            WITH p, now, recent, p.paused_at IS NULL AND size(recent) >= $failures AS pauses
            SET p.paused_at = CASE WHEN pauses THEN now ELSE p.paused_at END,
                p.executions = CASE WHEN pauses THEN recent ELSE p.executions END,
                p.description = CASE WHEN pauses THEN $description ELSE p.description END
            WITH p, now, pauses
            CALL {
              WITH now
              MATCH (f:RunbookGuardFailure) USING INDEX f:RunbookGuardFailure(key, at)
                WHERE f.key = $key AND f.at <= now - $within
              WITH f LIMIT $prune
              DELETE f
            }
            RETURN pauses, p.paused_at AS at, p.executions AS executions, p.description AS description
            """;

    /**
     * Locks the pause node, lifts the pause and forgets the failures recorded so far; no row when there is no node.
     * The failures are found through the {@code (key, at)} index, which a lookup by key alone cannot use.
     */
    static final String RESUME = """
            MATCH (p:RunbookGuardPause) USING INDEX p:RunbookGuardPause(key) WHERE p.key = $key
            SET p.resumes = coalesce(p.resumes, 0) + 1
            WITH collect(p) AS locked
            WITH head(locked) AS p
            WITH p, p.paused_at IS NOT NULL AS was, coalesce($now, datetime.realtime().epochMillis) AS now
            SET p.resumed_at = now, p.resumed_by = $who
            REMOVE p.paused_at, p.executions, p.description
            WITH p, was
            CALL {
              MATCH (f:RunbookGuardFailure) USING INDEX f:RunbookGuardFailure(key, at)
                WHERE f.key = $key AND f.at IS NOT NULL
              DELETE f
            }
            RETURN was
            """;

    static final String STATE = """
            OPTIONAL MATCH (p:RunbookGuardPause) USING INDEX p:RunbookGuardPause(key) WHERE p.key = $key AND p.paused_at IS NOT NULL
            RETURN p.paused_at AS at, p.executions AS executions, p.description AS description
            """;

    /**
     * Creates the pause node of {@code key} if it is missing, on its own: racing creators of one unique node deadlock
     * on its index entry, and a statement that only creates is short, so the retries converge at once; the recording
     * statement then only ever locks an existing node.
     */
    public static void ensure(SimpleQueryRunner runner, String key) {
        runner.run("MERGE (:RunbookGuardPause {key: $key})", parameters("key", key)).consume();
    }

    /**
     * Records one failure.
     *
     * @param at the request's time, or empty for the database's
     * @return the pause this failure caused, or empty
     */
    public static Optional<PauseState> recordFailure(SimpleQueryRunner runner, PauseClaim claim, String execution,
                                                     Optional<Instant> at) {
        Value params = parameters("key", claim.key(), "now", at.map(Instant::toEpochMilli).orElse(null),
                "within", claim.within().toMillis(), "execution", execution, "failures", claim.failures(),
                "description", claim.description(), "prune", PRUNE_FAILURES);
        var rows = runner.run(RECORD, params).list();
        if (rows.isEmpty()) {
            // the node was deleted by hand since this store created it: create it again
            ensure(runner, claim.key());
            rows = runner.run(RECORD, params).list();
        }
        Record row = rows.get(0);
        return row.get("pauses").asBoolean() ? Optional.of(state(claim.key(), row)) : Optional.empty();
    }

    /** The pause in force, if any. */
    public static Optional<PauseState> state(SimpleQueryRunner runner, String key) {
        Record row = runner.run(STATE, parameters("key", key)).single();
        return row.get("at").isNull() ? Optional.empty() : Optional.of(state(key, row));
    }

    /**
     * Lifts the pause.
     *
     * @param at the request's time, or empty for the database's
     * @return whether it was paused
     */
    public static boolean resume(SimpleQueryRunner runner, String key, String who, Optional<Instant> at) {
        var rows = runner.run(RESUME, parameters("key", key, "who", who, "now", at.map(Instant::toEpochMilli).orElse(null)))
                .list();
        return !rows.isEmpty() && rows.get(0).get("was").asBoolean();
    }

    /** A pause from a row with {@code at, executions, description}. */
    static PauseState state(String key, Record row) {
        return fromValues(key, row.get("at"), row.get("executions"), row.get("description"));
    }

    static PauseState fromValues(String key, Value at, Value executions, Value description) {
        return new PauseState(key, Instant.ofEpochMilli(at.asLong()), executions.asList(Value::asString),
                description.asString());
    }
}
