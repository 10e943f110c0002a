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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.neo4j.driver.SimpleQueryRunner;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;

/**
 * The statements of the Neo4j guard store. A request is one statement, its own transaction: it write-locks one
 * {@code :RunbookGuardKey} node per key in sorted key order (so two requests never wait on each other in a
 * cycle), reads the time (the database's, or the request's), then checks locks, counters and spacings, and only
 * if all pass records its times and takes locks. A key's counted times live on its node, as the list {@code times}
 * with the list {@code marks} beside it (which reservation counted each, so that a cancel uncounts exactly its own,
 * however often it is run): no node per event, so a grant creates and indexes nothing beyond its key nodes, a check
 * reads the node it has already locked, and the times that no longer count are dropped by the write that adds one.
 * A request's pauses are read (not locked) in the same statement: a paused runbook is refused at no extra cost. Everything a request changes commits together or not at all, and a
 * decision costs one round trip instead of one per statement. Release, cancel and renewal are one statement each.
 *
 * <p>Times are epoch milliseconds. With database time, the clock is read after the key locks are held, so a
 * request that waited for another sees a time no earlier than the one that went before it.
 */
public final class GuardTransactions {
    /** Stale keys one sweep deletes at most (bounded work per transaction). */
    public static final int SWEEP_KEYS = 100;
    /** Events of the older one-node-per-event layout folded into their keys per transaction at most. */
    private static final int FOLD_EVENTS = 1000;

    /**
     * What a granted request took, for release, cancel and renew.
     *
     * @param at      the time of the grant (database or request clock)
     * @param mark    the number its counted times are marked with on their keys, for a cancel to find them
     * @param counted the keys it counted times under: {@code key}, {@code n} (how many)
     * @param locks   the locks taken: {@code key}, {@code token}, {@code ttl} (ms)
     */
    public record Taken(Instant at, long mark, List<Map<String, Object>> counted, List<Map<String, Object>> locks) {
        public Taken {
            Objects.requireNonNull(at, "at");
            counted = List.copyOf(counted);
            locks = List.copyOf(locks);
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
     *   <li>check locks, counters and spacings on the locked key nodes' own properties, and read the pauses (an
     *       index seek);</li>
     *   <li>only if everything passes ({@code FOREACH} over an empty list otherwise): add this grant's times to its
     *       keys, dropping in the same write the times older than the key's {@code keep} (the longest window or
     *       retention any request asked of it), and move the key's sweep time past the newest; take the locks.</li>
     * </ol>
     * The write that adds a time drops only times older than it by more than {@code keep}, so a key's latest time is
     * never dropped and a spacing sees it whatever its length. Neo4j evaluates all items of one {@code SET} before it writes any, so the
     * marks are filtered by the times as they were. Parameters are data, never text.
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
                 [i IN range(0, size($counters) - 1) | {i: i, n: size([t IN
                    head([g IN held WHERE g.key = $counters[i].key | coalesce(g.times, [])])
                    WHERE t > now - $counters[i].window])}] AS counts,
                 [i IN range(0, size($spacings) - 1) | {i: i, last: reduce(m = null, t IN
                    head([g IN held WHERE g.key = $spacings[i].key | coalesce(g.times, [])])
                    | CASE WHEN m IS NULL OR t > m THEN t ELSE m END)}] AS lasts,
                 COLLECT {
                    MATCH (p:RunbookGuardPause) USING INDEX p:RunbookGuardPause(key)
                    WHERE p.key IN $pauses AND p.paused_at IS NOT NULL
                    RETURN {key: p.key, at: p.paused_at, executions: p.executions, description: p.description} } AS paused
            WITH held, now, live, lockHeld, counts, lasts, paused,
                 live = size($keys) AND size(lockHeld) = 0 AND size(paused) = 0
                   AND all(c IN counts WHERE c.n + $counters[c.i].amount <= $counters[c.i].limit)
                   AND all(s IN lasts WHERE s.last IS NULL OR (now - s.last) * 1000000 >= $spacings[s.i].nanos) AS ok
            FOREACH (c IN CASE WHEN ok THEN $counted ELSE [] END |
              FOREACH (g IN [h IN held WHERE h.key = c.key] |
                FOREACH (keep IN [CASE WHEN g.keep >= $keep THEN g.keep ELSE $keep END] |
                  SET g.marks = [i IN range(0, size(coalesce(g.times, [])) - 1) WHERE g.times[i] > now - keep
                                 | g.marks[i]] + [x IN range(1, c.n) | $mark],
                      g.times = [t IN coalesce(g.times, []) WHERE t > now - keep] + [x IN range(1, c.n) | now],
                      g.keep = keep,
                      g.keep_until = CASE WHEN g.keep_until >= now + keep THEN g.keep_until ELSE now + 2 * keep END)))
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

    /**
     * Deletes the picked keys that are still stale once locked: every time they hold is older than any window or
     * spacing that asked for it, so the node no longer changes a decision.
     */
    static final String SWEEP_STALE_KEYS = """
            UNWIND $keys AS key
            MATCH (g:RunbookGuardKey) USING INDEX g:RunbookGuardKey(key)
              WHERE g.key = key AND g.keep_until < $now AND coalesce(g.lock_expires_at, 0) <= $now
            DELETE g
            RETURN count(*) AS n
            """;

    /**
     * Folds up to {@code $limit} events of the one-node-per-event layout of earlier versions into their keys' lists
     * (marked 0: no reservation of this version cancels them) and deletes them, so that an upgraded database counts
     * what it counted before.
     */
    static final String FOLD_OLD_EVENTS = """
            MATCH (e:RunbookGuardEvent)
            WITH e LIMIT $limit
            WITH e.key AS key, collect(e) AS events
            MERGE (g:RunbookGuardKey {key: key})
            SET g.times = coalesce(g.times, []) + [e IN events WHERE e.at IS NOT NULL | e.at],
                g.marks = coalesce(g.marks, []) + [e IN events WHERE e.at IS NOT NULL | 0],
                g.keep = CASE WHEN g.keep >= $keep THEN g.keep ELSE $keep END
            FOREACH (e IN events | DELETE e)
            RETURN sum(size(events)) AS n
            """;

    /** Frees the locks that still carry a reservation's tokens: a lock taken over after expiry is someone else's. */
    private static final String FREE_LOCKS = """
            CALL {
              UNWIND $locks AS l
              MATCH (g:RunbookGuardKey) USING INDEX g:RunbookGuardKey(key) WHERE g.key = l.key AND g.lock_token = l.token
              REMOVE g.lock_owner, g.lock_token, g.lock_expires_at
            }
            """;

    /** Frees a reservation's locks that still carry its tokens; its counted times stay counted. */
    static final String RELEASE = FREE_LOCKS + "RETURN 1";

    /**
     * Frees every lock of one owner. It scans the keys: an index on the owner would cost every grant an index write,
     * and recovery runs this once per execution whose host died.
     */
    static final String RELEASE_ALL = """
            MATCH (g:RunbookGuardKey) WHERE g.lock_owner = $owner
            REMOVE g.lock_owner, g.lock_token, g.lock_expires_at
            RETURN count(g) AS freed
            """;

    /**
     * Frees a reservation's locks and removes the times it counted (those carrying its mark) from its keys: run again,
     * it finds none left, so it never uncounts another reservation's.
     */
    static final String CANCEL = FREE_LOCKS + """
            CALL {
              UNWIND $keys AS key
              MATCH (g:RunbookGuardKey) USING INDEX g:RunbookGuardKey(key) WHERE g.key = key AND g.marks IS NOT NULL
              WITH g, [i IN range(0, size(g.marks) - 1) WHERE g.marks[i] <> $mark] AS kept
              WHERE size(kept) < size(g.marks)
              SET g.times = [i IN kept | g.times[i]], g.marks = [i IN kept | g.marks[i]]
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
     * @param retention    how long counted times are kept at least
     */
    public static Outcome reserve(SimpleQueryRunner runner, ReservationRequest r, boolean databaseTime, Duration retention) {
        var keys = new TreeSet<String>();
        r.locks().forEach(c -> keys.add(c.key()));
        r.counters().forEach(c -> keys.add(c.key()));
        r.spacings().forEach(c -> keys.add(c.key()));
        // how many times each key counts: a counter's amount, one for a spacing (one key may be both)
        var perKey = new LinkedHashMap<String, Long>();
        r.counters().forEach(c -> perKey.merge(c.key(), (long) c.amount(), Long::sum));
        r.spacings().forEach(c -> perKey.merge(c.key(), 1L, Long::sum));
        var counted = perKey.entrySet().stream().map(e -> Map.<String, Object>of("key", e.getKey(), "n", e.getValue())).toList();
        // marks the times this grant counts, so a cancel removes exactly these: a random 63-bit number, never 0
        // (the mark of times folded in from an older layout)
        long mark = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
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
                "counted", counted, "mark", mark, "owner", r.owner(),
                "pauses", r.pauses().stream().map(PauseClaim::key).toList());
        for (int attempt = 1; ; attempt++) {
            var row = runner.run(RESERVE, params).single();
            if (row.get("ok").asBoolean()) {
                return new Outcome(Optional.of(new Taken(Instant.ofEpochMilli(row.get("now").asLong()), mark, counted,
                        locks)), Optional.empty());
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

    /** Frees the locks this reservation still holds (a lock taken over after expiry is someone else's). */
    public static void release(SimpleQueryRunner tx, Taken t) {
        if (t.locks().isEmpty()) {
            return;
        }
        tx.run(RELEASE, parameters("locks", t.locks())).consume();
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

    /** Frees the locks this reservation still holds and uncounts its times, in one statement. */
    public static void cancel(SimpleQueryRunner tx, Taken t) {
        if (t.locks().isEmpty() && t.counted().isEmpty()) {
            return;
        }
        tx.run(CANCEL, parameters("locks", t.locks(), "keys", t.counted().stream().map(c -> c.get("key")).toList(),
                "mark", t.mark())).consume();
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
     * Deletes up to {@link #SWEEP_KEYS} stale keys: past their {@code keep_until} (every time they counted is
     * older than any window or the retention), with no live lock. The keys are write-locked before they are checked
     * again, so a request that used one meanwhile (and moved its keep_until or took its lock) keeps it.
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
        return tx.run(SWEEP_STALE_KEYS, parameters("keys", keys, "now", at)).single().get("n").asInt();
    }

    /**
     * Folds a batch of events left by the one-node-per-event layout of earlier versions into their keys, so that
     * upgrading does not forget what was counted.
     *
     * @param keep how long the folded times are kept at least (the store's retention)
     * @return how many events were folded; 0 once none is left
     */
    public static long foldOldEvents(TransactionContext tx, Duration keep) {
        return tx.run(FOLD_OLD_EVENTS, parameters("limit", FOLD_EVENTS, "keep", keep.toMillis())).single().get("n").asLong();
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
