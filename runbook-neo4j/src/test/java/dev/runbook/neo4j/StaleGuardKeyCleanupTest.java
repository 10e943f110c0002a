package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.neo4j.internal.GuardTransactions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * Keys nobody uses any more are deleted as other keys are used, a bounded number per grant, so the graph does not
 * grow with every resource ever seen; a key with a live lock stays. Time is driven through the requests (REQUEST
 * time, dated 1990 so only this test's keys are old enough to be swept in the shared database).
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
    void unusedKeysAndTheirEventsAreDeletedABoundedNumberPerGrant(Driver driver) {
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
        assertThat(store.tryReserve(new ReservationRequest("b", later, List.of(), List.of(fresh), List.of())).granted()).isTrue();
        assertThat(count(driver, "RunbookGuardKey", p + "old-")).isEqualTo(old - GuardTransactions.SWEEP_KEYS);
        assertThat(count(driver, "RunbookGuardEvent", p + "old-")).isEqualTo(old - GuardTransactions.SWEEP_KEYS);

        assertThat(store.tryReserve(new ReservationRequest("c", later, List.of(), List.of(fresh), List.of())).granted()).isTrue();
        assertThat(count(driver, "RunbookGuardKey", p + "old-")).isZero();
        assertThat(count(driver, "RunbookGuardEvent", p + "old-")).isZero();
        // the key in use and the one with a live lock stay
        assertThat(count(driver, "RunbookGuardKey", p + "fresh")).isEqualTo(1);
        assertThat(count(driver, "RunbookGuardEvent", p + "fresh")).isEqualTo(2);
        assertThat(count(driver, "RunbookGuardKey", p + "locked")).isEqualTo(1);
        assertThat(store.tryReserve(new ReservationRequest("other", later, List.of(held), List.of(), List.of())).granted()).isFalse();
    }
}
