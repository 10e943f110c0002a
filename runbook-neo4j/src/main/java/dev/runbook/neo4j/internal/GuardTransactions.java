package dev.runbook.neo4j.internal;

import static dev.runbook.core.internal.Durations.human;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.guard.SpacingClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;

/**
 * The statements of the Neo4j guard store. One write transaction per request: it write-locks one
 * {@code :RunbookGuardKey} node per key in sorted key order (so two requests never wait on each other in a
 * cycle), then checks locks, counters and spacings, and only if all pass records events and takes locks.
 * Everything a request changes commits together or not at all.
 */
public final class GuardTransactions {
    /** What a granted request took, for release and cancel. */
    public record Taken(Instant at, List<String> eventIds, List<Map<String, Object>> locks) {
    }

    /** Granted with what was taken, or denied with the reason. */
    public record Outcome(Optional<Taken> taken, Optional<String> denial) {
    }

    private GuardTransactions() {
    }

    /** Constraint and indexes, created once (idempotent). */
    public static List<String> schemaStatements() {
        return List.of(
                "CREATE CONSTRAINT runbook_guard_key IF NOT EXISTS FOR (g:RunbookGuardKey) REQUIRE g.key IS UNIQUE",
                "CREATE INDEX runbook_guard_event_key_at IF NOT EXISTS FOR (e:RunbookGuardEvent) ON (e.key, e.at)",
                "CREATE INDEX runbook_guard_event_id IF NOT EXISTS FOR (e:RunbookGuardEvent) ON (e.id)");
    }

    /** Runs one request inside {@code tx}; retried whole by the driver on deadlocks. */
    public static Outcome reserve(TransactionContext tx, ReservationRequest r, Duration retention) {
        long now = r.now().toEpochMilli();
        var keys = new TreeSet<String>();
        r.locks().forEach(c -> keys.add(c.key()));
        r.counters().forEach(c -> keys.add(c.key()));
        r.spacings().forEach(c -> keys.add(c.key()));
        // 1. exclusive locks on the key nodes, in sorted order
        for (String key : keys) {
            tx.run("MERGE (g:RunbookGuardKey {key: $key}) SET g.touched_at = $now", Map.of("key", key, "now", now)).consume();
        }
        // 2. checks; the first that fails denies the whole request
        for (LockClaim c : r.locks()) {
            var row = tx.run("MATCH (g:RunbookGuardKey {key: $key}) RETURN g.lock_owner AS owner, g.lock_expires_at AS expires",
                    Map.of("key", c.key())).single();
            Value owner = row.get("owner");
            if (!owner.isNull() && row.get("expires").asLong() > now) {
                return denied(c.description() + " already has an active execution (" + owner.asString() + ")");
            }
        }
        for (CounterClaim c : r.counters()) {
            long count = tx.run("MATCH (e:RunbookGuardEvent {key: $key}) WHERE e.at > $from RETURN count(e) AS n",
                    Map.of("key", c.key(), "from", now - c.window().toMillis())).single().get("n").asLong();
            if (count + c.amount() > c.limit()) {
                return denied(c.description() + " reached: " + count + " in the last " + human(c.window())
                        + (c.amount() > 1 ? ", this execution needs " + c.amount() : ""));
            }
        }
        for (SpacingClaim c : r.spacings()) {
            Value last = tx.run("MATCH (e:RunbookGuardEvent {key: $key}) RETURN max(e.at) AS last",
                    Map.of("key", c.key())).single().get("last");
            if (!last.isNull()) {
                Instant lastAt = Instant.ofEpochMilli(last.asLong());
                Duration since = Duration.between(lastAt, r.now());
                if (since.compareTo(c.minSpacing()) < 0) {
                    return denied(c.description() + " not yet elapsed: last at " + lastAt + ", " + human(since)
                            + " ago, wait " + human(c.minSpacing().minus(since)));
                }
            }
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
                    Map.of("events", events, "now", now, "owner", r.owner())).consume();
        }
        var locks = new ArrayList<Map<String, Object>>();
        for (LockClaim c : r.locks()) {
            locks.add(Map.of("key", c.key(), "token", UUID.randomUUID().toString(),
                    "expires", now + c.ttl().toMillis()));
        }
        if (!locks.isEmpty()) {
            tx.run("""
                    UNWIND $locks AS l
                    MATCH (g:RunbookGuardKey {key: l.key})
                    SET g.lock_owner = $owner, g.lock_token = l.token, g.lock_expires_at = l.expires
                    """, Map.of("locks", locks, "owner", r.owner())).consume();
        }
        long horizon = now - longest(r, retention).toMillis();
        for (String key : keys) {
            tx.run("""
                    MATCH (e:RunbookGuardEvent {key: $key}) WHERE e.at < $horizon
                    WITH e LIMIT 500 DELETE e
                    """, Map.of("key", key, "horizon", horizon)).consume();
        }
        return new Outcome(Optional.of(new Taken(r.now(), events.stream().map(e -> (String) e.get("id")).toList(),
                List.copyOf(locks))), Optional.empty());
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
                """, Map.of("locks", t.locks())).consume();
    }

    /** Uncounts the events of this reservation. */
    public static void uncount(TransactionContext tx, Taken t) {
        if (t.eventIds().isEmpty()) {
            return;
        }
        tx.run("UNWIND $ids AS id MATCH (e:RunbookGuardEvent {id: id}) DELETE e", Map.of("ids", t.eventIds())).consume();
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

    private static Outcome denied(String reason) {
        return new Outcome(Optional.empty(), Optional.of(reason));
    }

}
