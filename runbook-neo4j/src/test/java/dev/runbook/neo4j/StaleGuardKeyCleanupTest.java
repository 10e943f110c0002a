package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
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
 * grow with every resource ever seen, and no decision waits for that; a key with a live lock stays, and a reservation that waited for a sweep
 * deleting its key still ends up holding a live key. Time is driven through the requests (REQUEST time, dated 1985
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

    @Test
    void unusedKeysAndTheirEventsAreDeletedABoundedNumberPerReleaseAndNeverByADecision(Driver driver) {
        var store = Neo4jGuardStore.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST)
                .retention(Duration.ofMinutes(1)).build();
        int old = GuardTransactions.SWEEP_KEYS + 50;
        List<CounterClaim> once = IntStream.range(0, old).mapToObj(i -> new CounterClaim(p + "old-" + i,
                Duration.ofMinutes(1), 1, 1, "old " + i)).toList();
        assertThat(store.tryReserve(new ReservationRequest("a", T0, List.of(), once, List.of())).granted()).isTrue();
        var held = new LockClaim(p + "locked", Duration.ofDays(1), "resource held for a day");
        assertThat(store.tryReserve(new ReservationRequest("holder", T0, List.of(held), List.of(), List.of())).granted()).isTrue();
        assertThat(count(driver, "RunbookGuardKey", p + "old-")).isEqualTo(old);
        assertThat(count(driver, "RunbookGuardEvent", p + "old-")).isEqualTo(old);

        var fresh = new CounterClaim(p + "fresh", Duration.ofMinutes(1), 10, 1, "fresh");
        Instant later = T0.plus(Duration.ofHours(2));
        Reservation b = store.tryReserve(new ReservationRequest("b", later, List.of(), List.of(fresh), List.of()));
        assertThat(b.granted()).isTrue();
        assertThat(count(driver, "RunbookGuardKey", p + "old-")).as("a decision sweeps nothing").isEqualTo(old);
        b.release();
        assertThat(count(driver, "RunbookGuardKey", p + "old-")).isEqualTo(old - GuardTransactions.SWEEP_KEYS);
        assertThat(count(driver, "RunbookGuardEvent", p + "old-")).isEqualTo(old - GuardTransactions.SWEEP_KEYS);

        Reservation c = store.tryReserve(new ReservationRequest("c", later, List.of(), List.of(fresh), List.of()));
        assertThat(c.granted()).isTrue();
        c.release();
        assertThat(count(driver, "RunbookGuardKey", p + "old-")).isZero();
        assertThat(count(driver, "RunbookGuardEvent", p + "old-")).isZero();
        // the key in use and the one with a live lock stay
        assertThat(count(driver, "RunbookGuardKey", p + "fresh")).isEqualTo(1);
        assertThat(count(driver, "RunbookGuardEvent", p + "fresh")).isEqualTo(2);
        assertThat(count(driver, "RunbookGuardKey", p + "locked")).isEqualTo(1);
        assertThat(store.tryReserve(new ReservationRequest("other", later, List.of(held), List.of(), List.of())).granted()).isFalse();
    }

    @Test
    void expiredEventsOfAKeyAreDeletedByItsNextReleaseAndNotByTheDecision(Driver driver) {
        var store = Neo4jGuardStore.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST)
                .retention(Duration.ofMinutes(1)).build();
        var counter = new CounterClaim(p + "busy", Duration.ofMinutes(1), 5, 1, "busy");
        store.tryReserve(new ReservationRequest("first", T0, List.of(), List.of(counter), List.of())).release();
        store.tryReserve(new ReservationRequest("second", T0.plusSeconds(1), List.of(), List.of(counter), List.of()))
                .release();
        assertThat(count(driver, "RunbookGuardEvent", p + "busy")).as("both still count").isEqualTo(2);

        Reservation later = store.tryReserve(new ReservationRequest("later", T0.plus(Duration.ofMinutes(10)), List.of(),
                List.of(counter), List.of()));
        assertThat(later.granted()).isTrue();
        assertThat(count(driver, "RunbookGuardEvent", p + "busy")).as("the decision deletes nothing").isEqualTo(3);
        later.release();
        assertThat(count(driver, "RunbookGuardEvent", p + "busy")).as("the release deletes the two expired events")
                .isEqualTo(1);
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
