package dev.runbook.neo4j.internal;

import static org.neo4j.driver.Values.parameters;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.PauseClaim;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.guard.SpacingClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.neo4j.driver.SimpleQueryRunner;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;

/**
 * The statements of the Neo4j guard store. A request is one statement, its own transaction: it write-locks one
 * {@code :RunbookGuardKey} node per key in sorted key order (so two requests never wait on each other in a
 * cycle), reads the time (the database's, or the request's), then checks locks, counters and spacings, and only
 * if all pass records events and takes locks. A request's pauses are read (not locked) in the same statement: a
 * paused runbook is refused at no extra cost. Everything a request changes commits together or not at all, and a
 * decision costs one round trip instead of one per statement. Release, cancel and renewal are one statement each.
 *
 * <p>Times are epoch milliseconds. With database time, the clock is read after the key locks are held, so a
 * request that waited for another sees a time no earlier than the one that went before it.
 */
public final class GuardTransactions {
    /** Stale keys one sweep deletes at most (bounded work per transaction). */
    public static final int SWEEP_KEYS = 100;
    /** Events of stale keys one sweep deletes at most. */
    private static final int SWEEP_EVENTS = 1000;
    /** Expired events of a reservation's keys deleted by its release at most. */
    private static final int PRUNE_EVENTS = 500;

    /**
     * What a granted request took, for release, cancel and renew.
     *
     * @param at        the time of the grant (database or request clock)
     * @param eventIds  the events counted
     * @param locks     the locks taken: {@code key}, {@code token}, {@code ttl} (ms)
     * @param eventKeys the keys events were counted under, whose expired events the release deletes
     * @param keep      how long this request needed events kept (its longest window, or the retention)
     */
    public record Taken(Instant at, List<String> eventIds, List<Map<String, Object>> locks, List<String> eventKeys,
                        Duration keep) {
        public Taken {
            Objects.requireNonNull(at, "at");
            eventIds = List.copyOf(eventIds);
            locks = List.copyOf(locks);
            eventKeys = List.copyOf(eventKeys);
            Objects.requireNonNull(keep, "keep");
        }
    }

    /** Granted with what was taken, or refused with the facts. */
    public record Outcome(Optional<Taken> taken, Optional<Refusal> refusal) {
        static Outcome refused(Refusal r) {
            return new Outcome(Optional.empty(), Optional.of(r));
        }
    }

    private GuardTransactions() {
    }

    /**
     * The whole request as one statement, so that a decision costs one Bolt round trip plus its work. In order:
     * <ol>
     *   <li>write-lock the key nodes in sorted key order (MERGE then SET). {@code keep_until} says how long the key
     *       matters, for the sweep; it is measured from the statement's start (a hint read only by sweeps, which
     *       need not wait for the locks: one clock read per statement instead of one per key). When it must move it
     *       moves a whole {@code keep} further, so that most requests set it to the value it has: the lock is still
     *       taken, but a refusal then changes nothing and its commit writes no log entry;</li>
     *   <li>past the {@code collect}, which finishes every row (so every lock) first: read the time, and count the
     *       keys again (a sweep may have deleted one while this request waited for its lock);</li>
     *   <li>check locks, counters and spacings, and read the pauses, each an expression over an index seek;</li>
     *   <li>only if everything passes, record events and take locks ({@code FOREACH} over an empty list
     *       otherwise).</li>
     * </ol>
     * Expired events are not deleted here but when the reservation is released ({@link #RELEASE}): a decision
     * pays for its own checks and writes only. Parameters are data, never text.
     */
    static final String RESERVE = """
            UNWIND $keys AS key
            MERGE (g:RunbookGuardKey {key: key})
            WITH g, coalesce($now, timestamp()) + $keep AS until
            SET g.keep_until = CASE WHEN g.keep_until >= until THEN g.keep_until ELSE until + $keep END
            WITH collect(g) AS held
            WITH held, coalesce($now, datetime.realtime().epochMillis) AS now,
                 size([k IN $keys WHERE EXISTS {
                   MATCH (live:RunbookGuardKey) USING INDEX live:RunbookGuardKey(key) WHERE live.key = k }]) AS live
            WITH held, now, live,
                 [i IN range(0, size($locks) - 1)
                    WHERE any(g IN held WHERE g.key = $locks[i].key AND g.lock_owner IS NOT NULL AND g.lock_expires_at > now)
                    | {i: i, owner: head([g IN held WHERE g.key = $locks[i].key | g.lock_owner])}] AS lockHeld,
                 [i IN range(0, size($counters) - 1) | {i: i, n: COUNT {
                    MATCH (e:RunbookGuardEvent) USING INDEX e:RunbookGuardEvent(key, at)
                    WHERE e.key = $counters[i].key AND e.at > now - $counters[i].window }}] AS counts,
                 [i IN range(0, size($spacings) - 1) | {i: i, last: COLLECT {
                    MATCH (e:RunbookGuardEvent) USING INDEX e:RunbookGuardEvent(key, at)
                    WHERE e.key = $spacings[i].key AND e.at IS NOT NULL
                    RETURN e.at ORDER BY e.at DESC LIMIT 1 }[0]}] AS lasts,
                 COLLECT {
                    MATCH (p:RunbookGuardPause) USING INDEX p:RunbookGuardPause(key)
                    WHERE p.key IN $pauses AND p.paused_at IS NOT NULL
                    RETURN {key: p.key, at: p.paused_at, executions: p.executions, description: p.description} } AS paused
            WITH held, now, live, lockHeld, counts, lasts, paused,
                 live = size($keys) AND size(lockHeld) = 0 AND size(paused) = 0
                   AND all(c IN counts WHERE c.n + $counters[c.i].amount <= $counters[c.i].limit)
                   AND all(s IN lasts WHERE s.last IS NULL OR (now - s.last) * 1000000 >= $spacings[s.i].nanos) AS ok
            FOREACH (ev IN CASE WHEN ok THEN $events ELSE [] END |
              CREATE (:RunbookGuardEvent {id: ev.id, key: ev.key, at: now, owner: $owner}))
            FOREACH (l IN CASE WHEN ok THEN $locks ELSE [] END |
              FOREACH (g IN [h IN held WHERE h.key = l.key] |
                SET g.lock_owner = $owner, g.lock_token = l.token, g.lock_expires_at = now + l.ttl))
            RETURN ok, live, now, lockHeld, counts, lasts, paused
            """;

    /** Picks stale keys and write-locks them, so that a request using one meanwhile is seen by the checks that follow. */
    static final String SWEEP_SELECT = """
            MATCH (g:RunbookGuardKey) USING INDEX g:RunbookGuardKey(keep_until)
              WHERE g.keep_until < $now AND coalesce(g.lock_expires_at, 0) <= $now
            WITH g LIMIT $limit
            SET g.keep_until = g.keep_until
            RETURN g.key AS key
            """;

    private static final String STILL_STALE = """
            UNWIND $keys AS key
            MATCH (g:RunbookGuardKey) USING INDEX g:RunbookGuardKey(key)
              WHERE g.key = key AND g.keep_until < $now AND coalesce(g.lock_expires_at, 0) <= $now
            """;

    /**
     * The events of keys still stale once locked. {@code e.at IS NOT NULL} (every event has it) lets Neo4j seek the
     * {@code (key, at)} index: on the key alone it cannot, and scanned every event of the graph for each key. Every
     * lookup here names its index: the planner otherwise picks a label scan while the graph is small and keeps that
     * plan in its cache as the graph grows.
     */
    static final String SWEEP_EVENTS_OF_KEYS = STILL_STALE
            + "MATCH (e:RunbookGuardEvent) USING INDEX e:RunbookGuardEvent(key, at) WHERE e.key = key AND e.at IS NOT NULL\n"
            + "WITH e LIMIT $limit DELETE e";

    /** Keys still stale with no event left; the existence check seeks the same index. */
    static final String SWEEP_KEYS_WITHOUT_EVENTS = STILL_STALE
            + "AND NOT EXISTS { MATCH (e:RunbookGuardEvent) USING INDEX e:RunbookGuardEvent(key, at)\n"
            + "WHERE e.key = key AND e.at IS NOT NULL } DELETE g RETURN count(*) AS n";

    /** Frees the locks that still carry a reservation's tokens: a lock taken over after expiry is someone else's. */
    private static final String FREE_LOCKS = """
            CALL {
              UNWIND $locks AS l
              MATCH (g:RunbookGuardKey) USING INDEX g:RunbookGuardKey(key) WHERE g.key = l.key AND g.lock_token = l.token
              REMOVE g.lock_owner, g.lock_token, g.lock_expires_at
            }
            """;

    /**
     * Frees a reservation's locks that still carry its tokens, and deletes up to {@code $prune} events of its keys
     * that expired before its grant ({@code $before}: the grant's time less what the request needed kept), so that a
     * key in steady use keeps only the events that still count.
     */
    static final String RELEASE = FREE_LOCKS + """
            CALL {
              UNWIND $keys AS key
              MATCH (e:RunbookGuardEvent) USING INDEX e:RunbookGuardEvent(key, at) WHERE e.key = key AND e.at < $before
              WITH e LIMIT $prune
              DELETE e
            }
            RETURN 1
            """;

    /**
     * Frees every lock of one owner. It scans the keys: an index on the owner would cost every grant an index write,
     * and recovery runs this once per execution whose host died.
     */
    static final String RELEASE_ALL = """
            MATCH (g:RunbookGuardKey) WHERE g.lock_owner = $owner
            REMOVE g.lock_owner, g.lock_token, g.lock_expires_at
            RETURN count(g) AS freed
            """;

    /** Frees a reservation's locks and deletes its events. */
    static final String CANCEL = FREE_LOCKS + """
            CALL {
              UNWIND $ids AS id
              MATCH (e:RunbookGuardEvent) USING INDEX e:RunbookGuardEvent(id) WHERE e.id = id
              DELETE e
            }
            RETURN 1
            """;

    /** Extends the locks that still carry a reservation's tokens. */
    static final String RENEW = """
            UNWIND $locks AS l
            MATCH (g:RunbookGuardKey) USING INDEX g:RunbookGuardKey(key) WHERE g.key = l.key AND g.lock_token = l.token
            SET g.lock_expires_at = coalesce($now, datetime.realtime().epochMillis) + l.ttl
            RETURN count(g) AS renewed
            """;

    /** How often a request is run again when a sweep deleted one of its keys while it waited for the key's lock. */
    private static final int DELETED_KEY_TRIES = 3;

    /**
     * Runs one request as one auto-commit statement on {@code runner} (a session: the statement is its own
     * transaction, committed with its result); the caller retries transient errors (deadlocks) whole.
     *
     * @param databaseTime whether to use the database's clock rather than {@link ReservationRequest#now()}
     * @param retention    how long events are kept at least
     */
    public static Outcome reserve(SimpleQueryRunner runner, ReservationRequest r, boolean databaseTime, Duration retention) {
        var keys = new TreeSet<String>();
        r.locks().forEach(c -> keys.add(c.key()));
        r.counters().forEach(c -> keys.add(c.key()));
        r.spacings().forEach(c -> keys.add(c.key()));
        var events = new ArrayList<Map<String, Object>>();
        for (CounterClaim c : r.counters()) {
            for (int i = 0; i < c.amount(); i++) {
                events.add(Map.of("id", UUID.randomUUID().toString(), "key", c.key()));
            }
        }
        for (SpacingClaim c : r.spacings()) {
            events.add(Map.of("id", UUID.randomUUID().toString(), "key", c.key()));
        }
        var locks = new ArrayList<Map<String, Object>>();
        for (LockClaim c : r.locks()) {
            locks.add(Map.of("key", c.key(), "token", UUID.randomUUID().toString(), "ttl", c.ttl().toMillis()));
        }
        var counters = r.counters().stream().map(c -> Map.<String, Object>of("key", c.key(), "window", c.window().toMillis(),
                "amount", c.amount(), "limit", c.limit())).toList();
        var spacings = r.spacings().stream().map(c -> Map.<String, Object>of("key", c.key(), "nanos",
                c.minSpacing().toNanos())).toList();
        Duration keep = longest(r, retention);
        Value params = parameters("keys", List.copyOf(keys), "now", databaseTime ? null : r.now().toEpochMilli(),
                "keep", keep.toMillis(), "locks", locks, "counters", counters, "spacings", spacings,
                "events", events, "owner", r.owner(), "pauses", r.pauses().stream().map(PauseClaim::key).toList());
        for (int attempt = 1; ; attempt++) {
            var row = runner.run(RESERVE, params).single();
            if (row.get("ok").asBoolean()) {
                return new Outcome(Optional.of(new Taken(Instant.ofEpochMilli(row.get("now").asLong()),
                        events.stream().map(e -> (String) e.get("id")).toList(), locks,
                        events.stream().map(e -> (String) e.get("key")).distinct().toList(), keep)), Optional.empty());
            }
            if (row.get("live").asLong() == keys.size()) {
                return Outcome.refused(refusal(r, row));
            }
            // a sweep deleted a key node while this request waited for its lock; the node is created anew next time
            if (attempt == DELETED_KEY_TRIES) {
                throw new IllegalStateException("guard keys " + keys + " were deleted each time they were locked; refusing");
            }
        }
    }

    /** The first check that failed, in the order pauses, locks, counters, spacings, each in request order. */
    private static Refusal refusal(ReservationRequest r, org.neo4j.driver.Record row) {
        long now = row.get("now").asLong();
        var paused = new java.util.HashMap<String, Value>();
        row.get("paused").asList(v -> v).forEach(v -> paused.put(v.get("key").asString(), v));
        for (PauseClaim claim : r.pauses()) {
            Value p = paused.get(claim.key());
            if (p != null) {
                return new Refusal.Paused(claim, PauseTransactions.fromValues(claim.key(), p.get("at"),
                        p.get("executions"), p.get("description")));
            }
        }
        var held = row.get("lockHeld").asList(Value::asMap);
        if (!held.isEmpty()) {
            var first = held.stream().min(java.util.Comparator.comparingLong(m -> ((Number) m.get("i")).longValue())).orElseThrow();
            return new Refusal.LockHeld(r.locks().get(((Number) first.get("i")).intValue()), (String) first.get("owner"));
        }
        var counts = new long[r.counters().size()];
        row.get("counts").asList(Value::asMap).forEach(m -> counts[((Number) m.get("i")).intValue()] = ((Number) m.get("n")).longValue());
        for (int i = 0; i < counts.length; i++) {
            CounterClaim c = r.counters().get(i);
            if (counts[i] + c.amount() > c.limit()) {
                return new Refusal.LimitReached(c, counts[i]);
            }
        }
        var lasts = new Long[r.spacings().size()];
        row.get("lasts").asList(Value::asMap).forEach(m -> lasts[((Number) m.get("i")).intValue()] =
                m.get("last") == null ? null : ((Number) m.get("last")).longValue());
        for (int i = 0; i < lasts.length; i++) {
            SpacingClaim c = r.spacings().get(i);
            if (lasts[i] != null) {
                Duration since = Duration.ofMillis(now - lasts[i]);
                if (since.compareTo(c.minSpacing()) < 0) {
                    return new Refusal.TooSoon(c, Instant.ofEpochMilli(lasts[i]), since);
                }
            }
        }
        throw new IllegalStateException("the guard statement refused " + r.owner() + " without a failed check: " + row);
    }

    /**
     * Frees the locks this reservation still holds (a lock taken over after expiry is someone else's) and deletes
     * expired events of its keys.
     */
    public static void release(SimpleQueryRunner tx, Taken t) {
        if (t.locks().isEmpty() && t.eventKeys().isEmpty()) {
            return;
        }
        tx.run(RELEASE, parameters("locks", t.locks(), "keys", t.eventKeys(),
                "before", t.at().minus(t.keep()).toEpochMilli(), "prune", PRUNE_EVENTS)).consume();
    }

    /**
     * Frees every lock held by {@code owner} (an execution id), whatever its token: recovery frees the locks of an
     * execution whose host died. Counted events stay counted.
     *
     * @return how many locks were freed
     */
    public static int releaseAll(SimpleQueryRunner tx, String owner) {
        return tx.run(RELEASE_ALL, parameters("owner", owner)).single().get("freed").asInt();
    }

    /** Frees the locks this reservation still holds and uncounts its events, in one statement. */
    public static void cancel(SimpleQueryRunner tx, Taken t) {
        if (t.locks().isEmpty() && t.eventIds().isEmpty()) {
            return;
        }
        tx.run(CANCEL, parameters("locks", t.locks(), "ids", t.eventIds())).consume();
    }

    /**
     * Extends each lock still holding this reservation's token to now plus its ttl.
     *
     * @param now the request's time, or empty for the database's
     * @return how many locks were still this reservation's
     */
    public static int renew(SimpleQueryRunner tx, Taken t, Optional<Instant> now) {
        Long at = now.map(Instant::toEpochMilli).orElse(null);
        return tx.run(RENEW, parameters("locks", t.locks(), "now", at)).single().get("renewed").asInt();
    }

    /**
     * Deletes up to {@link #SWEEP_KEYS} stale keys: past their {@code keep_until} (every event they counted is
     * older than any window or the retention), with no live lock. Their expired events go first; a key keeps its
     * node until none is left. The keys are write-locked before they are checked again, so a request that used one
     * meanwhile (and moved its keep_until or took its lock) keeps it.
     *
     * @return how many key nodes were deleted
     */
    public static int sweep(TransactionContext tx, Instant now) {
        long at = now.toEpochMilli();
        List<String> keys = tx.run(SWEEP_SELECT, parameters("now", at, "limit", SWEEP_KEYS))
                .list(row -> row.get("key").asString());
        if (keys.isEmpty()) {
            return 0;
        }
        tx.run(SWEEP_EVENTS_OF_KEYS, parameters("keys", keys, "now", at, "limit", SWEEP_EVENTS)).consume();
        return tx.run(SWEEP_KEYS_WITHOUT_EVENTS, parameters("keys", keys, "now", at)).single().get("n").asInt();
    }

    private static Duration longest(ReservationRequest r, Duration retention) {
        Duration d = retention;
        for (CounterClaim c : r.counters()) {
            d = c.window().compareTo(d) > 0 ? c.window() : d;
        }
        for (SpacingClaim c : r.spacings()) {
            d = c.minSpacing().compareTo(d) > 0 ? c.minSpacing() : d;
        }
        return d;
    }
}
