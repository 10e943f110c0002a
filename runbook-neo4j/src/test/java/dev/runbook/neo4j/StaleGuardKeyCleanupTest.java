package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.guard.SpacingClaim;
import dev.runbook.neo4j.internal.GuardTransactions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * Keys nobody uses any more are deleted as executions end, a bounded number per release, so the graph does not
 * grow with every resource ever seen, and no decision waits for that; a key with a live lock stays, and a reservation
 * that waited for a sweep deleting its key still ends up holding a live key. A key's times that no longer count are
 * dropped by the write adding the next; a cancel removes exactly its own; events of the earlier layout are folded in. Time is driven through the requests (REQUEST time, dated 1985
 * and 1990 so only this test's keys are old enough to be swept in the shared database).
 */
@Neo4jTest
class StaleGuardKeyCleanupTest {
    private static final Instant T0 = Instant.parse("1990-01-01T00:00:00Z");
    private final String p = "stale-" + UUID.randomUUID() + "-";

    private static long count(Driver driver, String label, String prefix) {
        try (var s = driver.session()) {
            return s.run("MATCH (n:" + label + ") WHERE n.key STARTS WITH $prefix RETURN count(n) AS n",
                    Map.of("prefix", prefix)).single().get("n").asLong();
        }
    }

    /** The times counted on the keys starting with {@code prefix}, all keys together. */
    private static List<Long> times(Driver driver, String prefix) {
        try (var s = driver.session()) {
            return s.run("MATCH (n:RunbookGuardKey) WHERE n.key STARTS WITH $prefix UNWIND coalesce(n.times, []) AS t "
                    + "RETURN t ORDER BY t", Map.of("prefix", prefix)).list(r -> r.get("t").asLong());
        }
    }

    @Test
    void unusedKeysAreDeletedABoundedNumberPerReleaseAndNeverByADecision(Driver driver) {
        var store = Neo4jGuardStore.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST)
                .retention(Duration.ofMinutes(1)).build();
        int old = GuardTransactions.SWEEP_KEYS + 50;
        List<CounterClaim> once = IntStream.range(0, old).mapToObj(i -> new CounterClaim(p + "old-" + i,
                Duration.ofMinutes(1), 1, 1, "old " + i)).toList();
        assertThat(store.tryReserve(new ReservationRequest("a", T0, List.of(), once, List.of())).granted()).isTrue();
        var held = new LockClaim(p + "locked", Duration.ofDays(1), "resource held for a day");
        assertThat(store.tryReserve(new ReservationRequest("holder", T0, List.of(held), List.of(), List.of())).granted()).isTrue();
        assertThat(count(driver, "RunbookGuardKey", p + "old-")).isEqualTo(old);
        assertThat(times(driver, p + "old-")).hasSize(old).containsOnly(T0.toEpochMilli());

        var fresh = new CounterClaim(p + "fresh", Duration.ofMinutes(1), 10, 1, "fresh");
        Instant later = T0.plus(Duration.ofHours(2));
        Reservation b = store.tryReserve(new ReservationRequest("b", later, List.of(), List.of(fresh), List.of()));
        assertThat(b.granted()).isTrue();
        assertThat(count(driver, "RunbookGuardKey", p + "old-")).as("a decision sweeps nothing").isEqualTo(old);
        b.release();
        assertThat(count(driver, "RunbookGuardKey", p + "old-")).isEqualTo(old - GuardTransactions.SWEEP_KEYS);

        Reservation c = store.tryReserve(new ReservationRequest("c", later, List.of(), List.of(fresh), List.of()));
        assertThat(c.granted()).isTrue();
        c.release();
        assertThat(count(driver, "RunbookGuardKey", p + "old-")).isZero();
        // the key in use and the one with a live lock stay
        assertThat(count(driver, "RunbookGuardKey", p + "fresh")).isEqualTo(1);
        assertThat(times(driver, p + "fresh")).containsExactly(later.toEpochMilli(), later.toEpochMilli());
        assertThat(count(driver, "RunbookGuardKey", p + "locked")).isEqualTo(1);
        assertThat(store.tryReserve(new ReservationRequest("other", later, List.of(held), List.of(), List.of())).granted()).isFalse();
    }

    @Test
    void timesThatNoLongerCountAreDroppedByTheGrantThatAddsTheNextAndTheReleaseWritesNone(Driver driver) {
        var store = Neo4jGuardStore.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST)
                .retention(Duration.ofMinutes(1)).build();
        var counter = new CounterClaim(p + "busy", Duration.ofMinutes(1), 5, 1, "busy");
        store.tryReserve(new ReservationRequest("first", T0, List.of(), List.of(counter), List.of())).release();
        store.tryReserve(new ReservationRequest("second", T0.plusSeconds(1), List.of(), List.of(counter), List.of()))
                .release();
        assertThat(times(driver, p + "busy")).as("both still count").hasSize(2);

        Instant tenMinutesOn = T0.plus(Duration.ofMinutes(10));
        Reservation later = store.tryReserve(new ReservationRequest("later", tenMinutesOn, List.of(), List.of(counter),
                List.of()));
        assertThat(later.granted()).isTrue();
        assertThat(times(driver, p + "busy")).as("the two past the minute are dropped by the write adding the third")
                .containsExactly(tenMinutesOn.toEpochMilli());
        later.release();
        assertThat(times(driver, p + "busy")).containsExactly(tenMinutesOn.toEpochMilli());
    }

    @Test
    void aSpacingLongerThanAnyBeforeStillSeesTheKeysLatestTime(Driver driver) {
        // the times kept depend on the windows asked so far; the latest one stays whatever they were
        var store = Neo4jGuardStore.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST)
                .retention(Duration.ofMinutes(1)).build();
        var shortSpacing = new SpacingClaim(p + "spaced", Duration.ofMinutes(1), "cooldown 1m");
        var longSpacing = new SpacingClaim(p + "spaced", Duration.ofHours(1), "cooldown 1h");
        store.tryReserve(new ReservationRequest("first", T0, List.of(), List.of(), List.of(shortSpacing))).release();
        store.tryReserve(new ReservationRequest("second", T0.plus(Duration.ofMinutes(5)), List.of(), List.of(),
                List.of(shortSpacing))).release();

        Reservation r = store.tryReserve(new ReservationRequest("third", T0.plus(Duration.ofMinutes(20)), List.of(),
                List.of(), List.of(longSpacing)));
        assertThat(r.refusal()).hasValue(new Refusal.TooSoon(longSpacing, T0.plus(Duration.ofMinutes(5)),
                Duration.ofMinutes(15)));
    }

    @Test
    void aCancelRemovesOnlyItsOwnTimesHoweverOftenItRuns(Driver driver) {
        Neo4jGuardStore.builder().driver(driver).build(); // the schema
        var counter = new CounterClaim(p + "shared", Duration.ofMinutes(1), 5, 2, "shared");
        // two grants in the same millisecond on one key: their times are equal, only their marks differ
        var request = new ReservationRequest("a", T0, List.of(), List.of(counter), List.of());
        try (var s = driver.session()) {
            GuardTransactions.Taken a = GuardTransactions.reserve(s, request, false, Duration.ofMinutes(1)).taken().orElseThrow();
            GuardTransactions.reserve(s, new ReservationRequest("b", T0, List.of(), List.of(counter), List.of()), false,
                    Duration.ofMinutes(1)).taken().orElseThrow();
            assertThat(times(driver, p + "shared")).hasSize(4);

            // run again, as after a cancel whose answer was lost: b's two times stay
            GuardTransactions.cancel(s, a);
            GuardTransactions.cancel(s, a);
            assertThat(times(driver, p + "shared")).containsExactly(T0.toEpochMilli(), T0.toEpochMilli());
            assertThat(GuardTransactions.reserve(s, new ReservationRequest("c", T0, List.of(), List.of(counter),
                    List.of()), false, Duration.ofMinutes(1)).refusal()).isEmpty();
            assertThat(GuardTransactions.reserve(s, new ReservationRequest("d", T0, List.of(), List.of(counter),
                    List.of()), false, Duration.ofMinutes(1)).refusal()).hasValue(new Refusal.LimitReached(counter, 4));
        }
    }

    @Test
    void eventsOfTheEarlierOneNodePerEventLayoutAreFoldedIntoTheirKeysWhenAStoreIsBuilt(Driver driver) {
        var counter = new CounterClaim(p + "upgraded", Duration.ofHours(1), 3, 1, "max 3 an hour");
        try (var s = driver.session()) {
            // what an earlier snapshot wrote: a key node and one node per counted event
            s.run("MERGE (g:RunbookGuardKey {key: $key}) SET g.keep_until = $until "
                    + "WITH g UNWIND [$t1, $t2] AS at CREATE (:RunbookGuardEvent {id: randomUUID(), key: $key, at: at, owner: 'x'})",
                    Map.of("key", counter.key(), "until", T0.plus(Duration.ofDays(1)).toEpochMilli(),
                            "t1", T0.toEpochMilli(), "t2", T0.plusSeconds(60).toEpochMilli())).consume();
        }
        var store = Neo4jGuardStore.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST).build();
        assertThat(count(driver, "RunbookGuardEvent", p + "upgraded")).isZero();
        assertThat(times(driver, p + "upgraded")).containsExactly(T0.toEpochMilli(), T0.plusSeconds(60).toEpochMilli());

        Instant now = T0.plus(Duration.ofMinutes(30));
        assertThat(store.tryReserve(new ReservationRequest("third", now, List.of(), List.of(counter), List.of())).granted())
                .as("the two folded times still count: a third fits").isTrue();
        assertThat(store.tryReserve(new ReservationRequest("fourth", now, List.of(), List.of(counter), List.of())).refusal())
                .hasValue(new Refusal.LimitReached(counter, 3));
    }

    /** Whether some transaction waits for a lock while running the reservation's key-locking statement. */
    private static boolean aReservationIsBlocked(Driver driver) {
        try (var s = driver.session()) {
            return s.run("SHOW TRANSACTIONS YIELD currentQuery, status").list().stream()
                    .anyMatch(r -> r.get("currentQuery").asString().contains("MERGE (g:RunbookGuardKey")
                            && r.get("status").asString().startsWith("Blocked"));
        }
    }

    @Test
    void aReservationRacingTheSweepOfItsKeyStillHoldsItsLock(Driver driver) throws Exception {
        var store = Neo4jGuardStore.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST)
                .retention(Duration.ofMinutes(1)).build();
        Instant t0 = Instant.parse("1985-01-01T00:00:00Z");
        Instant later = t0.plus(Duration.ofHours(2));
        var lock = new LockClaim(p + "raced", Duration.ofMinutes(1), "resource raced");
        var counter = new CounterClaim(p + "raced", Duration.ofMinutes(1), 5, 1, "raced");
        store.tryReserve(new ReservationRequest("first", t0, List.of(lock), List.of(counter), List.of())).release();

        // a sweep holds the stale key's write lock while a reservation for the same key waits for it; the sweep then
        // deletes the node and commits
        var racing = new AtomicReference<Reservation>();
        Thread reserving = new Thread(() -> racing.set(store.tryReserve(new ReservationRequest("racer", later, List.of(lock),
                List.of(counter), List.of()))));
        try (var s = driver.session()) {
            int swept = s.executeWrite(tx -> {
                int n = GuardTransactions.sweep(tx, later);
                reserving.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!aReservationIsBlocked(driver)) {
                    assertThat(System.nanoTime()).as("the reservation waits for the sweep's lock").isLessThan(deadline);
                    Thread.onSpinWait();
                }
                return n;
            });
            assertThat(swept).isEqualTo(1);
        }
        reserving.join();
        assertThat(racing.get().granted()).isTrue();
        // the reservation's lock is on a live node: nobody else gets it
        assertThat(count(driver, "RunbookGuardKey", p + "raced")).isEqualTo(1);
        assertThat(store.tryReserve(new ReservationRequest("other", later, List.of(lock), List.of(), List.of())).refusal())
                .hasValue(new Refusal.LockHeld(lock, "racer"));
    }
}
