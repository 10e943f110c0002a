package dev.runbook.neo4j.internal;

import static org.neo4j.driver.Values.parameters;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.LockClaim;
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
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;

/**
 * The statements of the Neo4j guard store. One write transaction per request: it write-locks one
 * {@code :RunbookGuardKey} node per key in sorted key order (so two requests never wait on each other in a
 * cycle), reads the time (the database's, or the request's), then checks locks, counters and spacings, and only
 * if all pass records events and takes locks. Everything a request changes commits together or not at all.
 *
 * <p>Times are epoch milliseconds. With database time, the clock is read after the key locks are held, so a
 * request that waited for another sees a time no earlier than the one that went before it.
 */
public final class GuardTransactions {
    /** Stale keys one sweep deletes at most (bounded work per transaction). */
    public static final int SWEEP_KEYS = 100;
    /** Events of stale keys one sweep deletes at most. */
    private static final int SWEEP_EVENTS = 1000;
    /** Expired events of a used key deleted per request at most. */
    private static final int PRUNE_EVENTS = 500;

    /**
     * What a granted request took, for release, cancel and renew.
     *
     * @param at       the time of the grant (database or request clock)
     * @param eventIds the events counted
     * @param locks    the locks taken: {@code key}, {@code token}, {@code ttl} (ms)
     */
    public record Taken(Instant at, List<String> eventIds, List<Map<String, Object>> locks) {
        public Taken {
            Objects.requireNonNull(at, "at");
            eventIds = List.copyOf(eventIds);
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
     * Runs one request inside {@code tx}; retried whole by the driver on deadlocks.
     *
     * @param databaseTime whether to use the database's clock rather than {@link ReservationRequest#now()}
     * @param retention    how long events are kept at least
     */
    public static Outcome reserve(TransactionContext tx, ReservationRequest r, boolean databaseTime, Duration retention) {
        var keys = new TreeSet<String>();
        r.locks().forEach(c -> keys.add(c.key()));
        r.counters().forEach(c -> keys.add(c.key()));
        r.spacings().forEach(c -> keys.add(c.key()));
        long keep = longest(r, retention).toMillis();
        Long requestNow = databaseTime ? null : r.now().toEpochMilli();
        // 1. exclusive locks on the key nodes, in sorted order; keep_until says how long the key matters (sweep)
        for (String key : keys) {
            lockKey(tx, key, requestNow, keep);
        }
        // datetime.realtime() is read where evaluated, here after the key locks are held (not at transaction start)
        long now = databaseTime ? tx.run("RETURN datetime.realtime().epochMillis AS now").single().get("now").asLong() : r.now().toEpochMilli();
        // 2. checks; the first that fails refuses the whole request
        Optional<Refusal> refusal = check(tx, r, now);
        if (refusal.isPresent()) {
            return Outcome.refused(refusal.get());
        }
        // 3. everything fits: record events, take locks, forget old events
        var events = new ArrayList<Map<String, Object>>();
        for (CounterClaim c : r.counters()) {
            for (int i = 0; i < c.amount(); i++) {
                events.add(Map.of("id", UUID.randomUUID().toString(), "key", c.key()));
            }
        }
        for (SpacingClaim c : r.spacings()) {
            events.add(Map.of("id", UUID.randomUUID().toString(), "key", c.key()));
        }
        if (!events.isEmpty()) {
            tx.run("UNWIND $events AS ev CREATE (:RunbookGuardEvent {id: ev.id, key: ev.key, at: $now, owner: $owner})",
                    parameters("events", events, "now", now, "owner", r.owner())).consume();
        }
        var locks = new ArrayList<Map<String, Object>>();
        for (LockClaim c : r.locks()) {
            locks.add(Map.of("key", c.key(), "token", UUID.randomUUID().toString(), "ttl", c.ttl().toMillis()));
        }
        if (!locks.isEmpty()) {
            tx.run("""
                    UNWIND $locks AS l
                    MATCH (g:RunbookGuardKey {key: l.key})
                    SET g.lock_owner = $owner, g.lock_token = l.token, g.lock_expires_at = $now + l.ttl
                    """, parameters("locks", locks, "owner", r.owner(), "now", now)).consume();
        }
        for (String key : keys) {
            tx.run("""
                    MATCH (e:RunbookGuardEvent {key: $key}) WHERE e.at < $horizon
                    WITH e LIMIT $limit DELETE e
                    """, parameters("key", key, "horizon", now - keep, "limit", PRUNE_EVENTS)).consume();
        }
        return new Outcome(Optional.of(new Taken(Instant.ofEpochMilli(now),
                events.stream().map(e -> (String) e.get("id")).toList(), locks)), Optional.empty());
    }

    /**
     * Write-locks the key's node, creating it if needed. A sweep may have deleted the node while this transaction
     * waited for its lock: the lock is then held on a deleted node and protects nothing, so the node is looked up
     * again (after the lock, so the deletion is visible) and created anew if it is gone.
     */
    private static void lockKey(TransactionContext tx, String key, Long requestNow, long keep) {
        for (int attempt = 0; attempt < 3; attempt++) {
            long live = tx.run("""
                    MERGE (g:RunbookGuardKey {key: $key})
                    WITH g, coalesce($now, datetime.realtime().epochMillis) + $keep AS until
                    SET g.keep_until = CASE WHEN g.keep_until >= until THEN g.keep_until ELSE until END
                    WITH g
                    OPTIONAL MATCH (live:RunbookGuardKey {key: $key})
                    RETURN count(live) AS live
                    """, parameters("key", key, "now", requestNow, "keep", keep)).single().get("live").asLong();
            if (live == 1) {
                return;
            }
        }
        throw new IllegalStateException("guard key " + key + " was deleted each time it was locked; refusing");
    }

    private static Optional<Refusal> check(TransactionContext tx, ReservationRequest r, long now) {
        for (LockClaim c : r.locks()) {
            var row = tx.run("MATCH (g:RunbookGuardKey {key: $key}) RETURN g.lock_owner AS owner, g.lock_expires_at AS expires",
                    parameters("key", c.key())).single();
            Value owner = row.get("owner");
            Value expires = row.get("expires");
            if (!owner.isNull() && !expires.isNull() && expires.asLong() > now) {
                return Optional.of(new Refusal.LockHeld(c, owner.asString()));
            }
        }
        for (CounterClaim c : r.counters()) {
            long count = tx.run("MATCH (e:RunbookGuardEvent {key: $key}) WHERE e.at > $from RETURN count(e) AS n",
                    parameters("key", c.key(), "from", now - c.window().toMillis())).single().get("n").asLong();
            if (count + c.amount() > c.limit()) {
                return Optional.of(new Refusal.LimitReached(c, count));
            }
        }
        for (SpacingClaim c : r.spacings()) {
            Value last = tx.run("MATCH (e:RunbookGuardEvent {key: $key}) RETURN max(e.at) AS last",
                    parameters("key", c.key())).single().get("last");
            if (!last.isNull()) {
                Duration since = Duration.ofMillis(now - last.asLong());
                if (since.compareTo(c.minSpacing()) < 0) {
                    return Optional.of(new Refusal.TooSoon(c, Instant.ofEpochMilli(last.asLong()), since));
                }
            }
        }
        return Optional.empty();
    }

    /** Frees the locks this reservation still holds (a lock taken over after expiry is someone else's). */
    public static void release(TransactionContext tx, Taken t) {
        if (t.locks().isEmpty()) {
            return;
        }
        tx.run("""
                UNWIND $locks AS l
                MATCH (g:RunbookGuardKey {key: l.key}) WHERE g.lock_token = l.token
                REMOVE g.lock_owner, g.lock_token, g.lock_expires_at
                """, parameters("locks", t.locks())).consume();
    }

    /**
     * Frees every lock held by {@code owner} (an execution id), whatever its token: recovery frees the locks of an
     * execution whose host died. Counted events stay counted.
     *
     * @return how many locks were freed
     */
    public static int releaseAll(TransactionContext tx, String owner) {
        return tx.run("""
                MATCH (g:RunbookGuardKey) WHERE g.lock_owner = $owner
                REMOVE g.lock_owner, g.lock_token, g.lock_expires_at
                RETURN count(g) AS freed
                """, parameters("owner", owner)).single().get("freed").asInt();
    }

    /** Uncounts the events of this reservation. */
    public static void uncount(TransactionContext tx, Taken t) {
        if (t.eventIds().isEmpty()) {
            return;
        }
        tx.run("UNWIND $ids AS id MATCH (e:RunbookGuardEvent {id: id}) DELETE e", parameters("ids", t.eventIds())).consume();
    }

    /**
     * Extends each lock still holding this reservation's token to now plus its ttl.
     *
     * @param now the request's time, or empty for the database's
     * @return how many locks were still this reservation's
     */
    public static int renew(TransactionContext tx, Taken t, Optional<Instant> now) {
        Long at = now.map(Instant::toEpochMilli).orElse(null);
        return tx.run("""
                UNWIND $locks AS l
                MATCH (g:RunbookGuardKey {key: l.key}) WHERE g.lock_token = l.token
                SET g.lock_expires_at = coalesce($now, datetime.realtime().epochMillis) + l.ttl
                RETURN count(g) AS renewed
                """, parameters("locks", t.locks(), "now", at)).single().get("renewed").asInt();
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
        List<String> keys = tx.run("""
                MATCH (g:RunbookGuardKey) WHERE g.keep_until < $now AND coalesce(g.lock_expires_at, 0) <= $now
                WITH g LIMIT $limit
                SET g.keep_until = g.keep_until
                RETURN g.key AS key
                """, parameters("now", at, "limit", SWEEP_KEYS)).list(row -> row.get("key").asString());
        if (keys.isEmpty()) {
            return 0;
        }
        String stale = """
                UNWIND $keys AS key
                MATCH (g:RunbookGuardKey {key: key}) WHERE g.keep_until < $now AND coalesce(g.lock_expires_at, 0) <= $now
                """;
        tx.run(stale + "MATCH (e:RunbookGuardEvent {key: key}) WITH e LIMIT $limit DELETE e",
                parameters("keys", keys, "now", at, "limit", SWEEP_EVENTS)).consume();
        return tx.run(stale + "AND NOT EXISTS { MATCH (e:RunbookGuardEvent {key: key}) } DELETE g RETURN count(*) AS n",
                parameters("keys", keys, "now", at)).single().get("n").asInt();
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
