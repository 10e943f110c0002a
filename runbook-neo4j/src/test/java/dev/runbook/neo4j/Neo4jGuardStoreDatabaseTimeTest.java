package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.guard.SpacingClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * With {@link Neo4jGuardStore.TimeSource#DATABASE} (the default) the store measures with Neo4j's clock: the time a
 * request carries is ignored (requests dated decades apart count in one window), refusals report the database's
 * times, and leases expire and are renewed on the database clock (the one test here that waits in real time).
 */
@Neo4jTest
class Neo4jGuardStoreDatabaseTimeTest {
    private static final Instant PAST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant FUTURE = Instant.parse("2100-01-01T00:00:00Z");
    private final String p = "dbtime-" + UUID.randomUUID() + "-";
    private Neo4jGuardStore store;

    @BeforeEach
    void build(Driver driver) {
        store = Neo4jGuardStore.builder().driver(driver).build();
        assertThat(store.timeSource()).isEqualTo(Neo4jGuardStore.TimeSource.DATABASE);
    }

    private Reservation lock(String owner, Instant now, LockClaim claim) {
        return store.tryReserve(new ReservationRequest(owner, now, List.of(claim), List.of(), List.of()));
    }

    @Test
    void requestsDatedApartCountInOneWindowAndRefusalsCarryTheDatabasesTimes() {
        var counter = new CounterClaim(p + "runbook", Duration.ofHours(1), 1, 1, "max_executions_per_hour 1 for runbook r");
        assertThat(store.tryReserve(new ReservationRequest("a", PAST, List.of(), List.of(counter), List.of())).granted()).isTrue();
        Reservation second = store.tryReserve(new ReservationRequest("b", FUTURE, List.of(), List.of(counter), List.of()));
        assertThat(second.refusal()).hasValue(new Refusal.LimitReached(counter, 1));

        var spacing = new SpacingClaim(p + "spacing", Duration.ofHours(1), "min_action_spacing 1h");
        Instant before = Instant.now();
        assertThat(store.tryReserve(new ReservationRequest("a", PAST, List.of(), List.of(), List.of(spacing))).granted()).isTrue();
        Reservation tooSoon = store.tryReserve(new ReservationRequest("b", FUTURE, List.of(), List.of(), List.of(spacing)));
        Instant after = Instant.now();
        assertThat(tooSoon.refusal()).containsInstanceOf(Refusal.TooSoon.class);
        Refusal.TooSoon facts = (Refusal.TooSoon) tooSoon.refusal().orElseThrow();
        // the harness runs in this JVM, so the database's clock is this machine's: neither request's date shows up
        assertThat(facts.last()).isBetween(before.minusMillis(1), after);
        assertThat(facts.since()).isBetween(Duration.ZERO, Duration.between(before, after).plusMillis(1));
    }

    @Test
    void aLeaseIsRefusedToOthersUntilItExpiresAndRenewalKeepsIt() throws Exception {
        // one untimed round first, so the timed part measures leases and not Cypher planning or a first sweep of
        // other tests' keys on a loaded machine
        var warmUp = new LockClaim(p + "warm-up", Duration.ofSeconds(3), "resource warm-up");
        Reservation w = lock("warm-up", PAST, warmUp);
        assertThat(lock("other", PAST, warmUp).granted()).isFalse();
        assertThat(w.renew(PAST)).isTrue();
        w.release();

        var kept = new LockClaim(p + "kept", Duration.ofSeconds(3), "resource kept");
        var lapsed = new LockClaim(p + "lapsed", Duration.ofSeconds(3), "resource lapsed");
        Reservation holder = lock("holder", PAST, kept);
        assertThat(holder.granted()).isTrue();
        // a request dated a century later does not expire the lease: only the database's clock does
        assertThat(lock("other", FUTURE, kept).refusal()).hasValue(new Refusal.LockHeld(kept, "holder"));
        Reservation idle = lock("idle", PAST, lapsed);
        assertThat(idle.granted()).isTrue();

        // two fixed waits, no polling; the margin for the renewed lease (1.4 s) leaves room for a loaded machine
        Thread.sleep(1_500);
        assertThat(holder.renew(PAST)).isTrue(); // the time given is ignored: now (database) + 3 s
        Thread.sleep(1_600);
        // at least 3.1 s after both were taken: past their 3 s ttl; the renewed lease runs until about 4.5 s
        assertThat(lock("other", PAST, kept).refusal()).hasValue(new Refusal.LockHeld(kept, "holder"));
        assertThat(lock("other", PAST, lapsed).granted()).isTrue();
        assertThat(idle.renew(FUTURE)).isFalse();
        assertThat(holder.renew(PAST)).isTrue();
        holder.release();
        assertThat(holder.renew(PAST)).isFalse();
        assertThat(lock("other", PAST, kept).granted()).isTrue();
    }
}
