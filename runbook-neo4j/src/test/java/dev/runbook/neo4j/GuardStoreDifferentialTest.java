package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.guard.SpacingClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neo4j.driver.Driver;

/**
 * The Neo4j store decides every request as the in-memory store does, over seeded random histories on three shared
 * keys: counters and spacings of mixed windows on the same key, amounts above one, several grants in one
 * millisecond, locks that expire, releases, cancels (of released reservations too), and jumps past the one-day
 * retention both stores keep times for. Each request's outcome is compared, refusal facts included (the count seen,
 * the last time and how long ago, the holder). Time is the requests' (REQUEST), whole milliseconds, never going back.
 */
@Neo4jTest
class GuardStoreDifferentialTest {
    private static final Instant T0 = Instant.parse("1995-06-01T00:00:00Z");
    private static final int OPERATIONS = 60;

    static List<Long> seeds() {
        return java.util.stream.LongStream.rangeClosed(1, 16).boxed().toList();
    }

    /** A granted reservation in both stores. */
    private record Pair(Reservation memory, Reservation neo4j) {
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void decidesEveryRequestAsTheInMemoryStoreDoes(long seed, Driver driver) {
        var random = new SplittableRandom(seed);
        String p = "diff-" + UUID.randomUUID() + "-";
        List<String> keys = List.of(p + "a", p + "b", p + "c");
        var memory = new InMemoryGuardStore();
        var neo4j = Neo4jGuardStore.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST).build();
        var held = new ArrayList<Pair>();
        Instant now = T0;
        var history = new ArrayList<String>();
        for (int op = 0; op < OPERATIONS; op++) {
            int kind = random.nextInt(10);
            if (kind < 6 || held.isEmpty()) {
                ReservationRequest request = request(random, keys, "o" + op, now);
                Reservation m = memory.tryReserve(request);
                Reservation n = neo4j.tryReserve(request);
                history.add(request + " -> " + m.refusal());
                assertThat(n.refusal()).as("request %d of seed %d; history:%n%s", op, seed, String.join("\n", history))
                        .isEqualTo(m.refusal());
                if (m.granted()) {
                    held.add(new Pair(m, n));
                }
            } else {
                Pair pair = held.remove(random.nextInt(held.size()));
                boolean cancel = kind >= 8;
                history.add((cancel ? "cancel " : "release ") + held.size());
                if (cancel) {
                    pair.memory().cancel();
                    pair.neo4j().cancel();
                } else {
                    pair.memory().release();
                    pair.neo4j().release();
                    if (random.nextBoolean()) {
                        held.add(pair); // released, may still be cancelled
                    }
                }
            }
            now = now.plusMillis(advance(random));
        }
    }

    /** Often none (grants in one millisecond), mostly seconds, sometimes past a window, rarely past the retention. */
    private static long advance(SplittableRandom random) {
        int r = random.nextInt(20);
        if (r < 4) {
            return 0;
        }
        if (r < 17) {
            return random.nextLong(1, 40_000);
        }
        if (r < 19) {
            return random.nextLong(60_000, 400_000);
        }
        return Duration.ofHours(25).toMillis();
    }

    private static ReservationRequest request(SplittableRandom random, List<String> keys, String owner, Instant now) {
        var locks = new ArrayList<LockClaim>();
        var counters = new ArrayList<CounterClaim>();
        var spacings = new ArrayList<SpacingClaim>();
        for (String key : keys) {
            int use = random.nextInt(6);
            if (use == 0) {
                locks.add(new LockClaim(key, Duration.ofSeconds(random.nextInt(20, 120)), "lock " + key));
            } else if (use == 1 || use == 2) {
                counters.add(new CounterClaim(key, Duration.ofSeconds(random.nextBoolean() ? 60 : 180),
                        random.nextInt(1, 5), random.nextInt(1, 3), "counter " + key));
            } else if (use == 3) {
                spacings.add(new SpacingClaim(key, Duration.ofSeconds(random.nextInt(5, 200)), "spacing " + key));
            }
        }
        return new ReservationRequest(owner, now, locks, counters, spacings);
    }
}
