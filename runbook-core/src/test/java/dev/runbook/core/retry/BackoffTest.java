package dev.runbook.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** A generator that always draws {@code r}. */
    static RandomGenerator fixed(double r) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return r;
            }
        };
    }

    @Provide
    Arbitrary<Backoff> policies() {
        var millis = Arbitraries.longs().between(0, 600_000);
        return net.jqwik.api.Combinators.combine(millis, millis, Arbitraries.doubles().between(1.0, 10.0),
                        Arbitraries.of(Backoff.Jitter.values()), Arbitraries.integers().between(1, 50))
                .as((a, b, m, j, n) -> new Backoff(Duration.ofMillis(Math.min(a, b)), m,
                        Duration.ofMillis(Math.max(a, b)), j, n));
    }

    @Provide
    Arbitrary<Optional<Duration>> hints() {
        return Arbitraries.oneOf(Arbitraries.just(Optional.<Duration>empty()),
                Arbitraries.longs().between(-10_000, 10_000_000).map(ms -> Optional.of(Duration.ofMillis(ms))),
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(s -> Optional.of(Duration.ofSeconds(s))));
    }

    @Property
    void theDelayIsAlwaysWithinZeroAndTheCap(@ForAll("policies") Backoff b, @ForAll @IntRange(min = -2, max = 200) int attempt,
                                             @ForAll("hints") Optional<Duration> hint, @ForAll long seed) {
        Duration d = b.delayBefore(attempt, hint, new SplittableRandom(seed));
        assertThat(d).isBetween(Duration.ZERO, b.max());
    }

    @Property
    void theDelayNeverPassesTheDeadline(@ForAll("policies") Backoff b, @ForAll @IntRange(min = 1, max = 200) int attempt,
                                        @ForAll("hints") Optional<Duration> hint, @ForAll long seed,
                                        @ForAll @LongRange(min = -1000, max = 10_000_000) long leftMillis) {
        Duration left = Duration.ofMillis(leftMillis);
        Duration d = b.delayBefore(attempt, hint, new SplittableRandom(seed), left);
        assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO);
        assertThat(d).isLessThanOrEqualTo(left.isNegative() ? Duration.ZERO : left);
    }

    @Property
    void aRetryAfterWithinTheCapIsHonoured(@ForAll("policies") Backoff b, @ForAll @IntRange(min = 2, max = 200) int attempt,
                                           @ForAll @LongRange(min = 0, max = 600_000) long hintMillis, @ForAll long seed) {
        Duration hint = Duration.ofMillis(hintMillis);
        Duration d = b.delayBefore(attempt, Optional.of(hint), new SplittableRandom(seed));
        if (hint.compareTo(b.max()) <= 0) {
            assertThat(d).isGreaterThanOrEqualTo(hint);
        } else {
            assertThat(d).isEqualTo(b.max());
        }
    }

    @Property
    void equalJitterStaysBetweenHalfAndAllOfTheCeiling(@ForAll("policies") Backoff b,
                                                       @ForAll @IntRange(min = 2, max = 200) int attempt, @ForAll long seed) {
        Duration c = b.ceiling(attempt);
        Duration d = b.withJitter(Backoff.Jitter.EQUAL).delayBefore(attempt, Optional.empty(), new SplittableRandom(seed));
        assertThat(d).isBetween(c.minus(c.dividedBy(2)), c);
    }

    @Test
    void theCeilingGrowsExponentiallyToTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(1), 3.0, Duration.ofSeconds(20), Backoff.Jitter.NONE, 10);
        assertThat(b.ceiling(1)).isZero();
        assertThat(b.ceiling(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.ceiling(3)).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.ceiling(4)).isEqualTo(Duration.ofSeconds(9));
        assertThat(b.ceiling(5)).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.ceiling(1000)).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.allows(10)).isTrue();
        assertThat(b.allows(11)).isFalse();
    }

    @Test
    void equalJitterDrawsFromTheInjectedRandomness() {
        Backoff b = Backoff.exponential(Duration.ofSeconds(2), Duration.ofMinutes(1), 5);
        assertThat(b.delayBefore(3, Optional.empty(), fixed(0.0))).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delayBefore(3, Optional.empty(), fixed(0.5))).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.delayBefore(3, Optional.empty(), fixed(0.999999))).isBetween(Duration.ofMillis(3999),
                Duration.ofSeconds(4));
    }

    @Test
    void aHintRaisesTheFloorAndKeepsTheJitterAndAHugeHintIsCutToTheCap() {
        Backoff b = Backoff.exponential(Duration.ofSeconds(2), Duration.ofMinutes(1), 5);
        assertThat(b.delayBefore(2, Optional.of(Duration.ofSeconds(10)), fixed(0.5))).isEqualTo(Duration.ofMillis(10_500));
        // A short hint does not make the loop retry sooner than its own schedule.
        assertThat(b.delayBefore(2, Optional.of(Duration.ofMillis(100)), fixed(0.0))).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delayBefore(2, Optional.of(Duration.ofSeconds(1_000_000_000L)), fixed(0.5)))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(b.delayBefore(2, Optional.of(Duration.ofSeconds(-5)), fixed(0.0))).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delayBefore(2, Optional.of(Duration.ofSeconds(1_000_000_000L)), fixed(0.5), Duration.ofSeconds(4)))
                .isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void noJitterIsTheExactSchedule() {
        Backoff b = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), Backoff.Jitter.NONE, 4);
        assertThat(b.delayBefore(3, Optional.empty(), fixed(0.0))).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delayBefore(3, Optional.of(Duration.ofSeconds(5)), fixed(0.0))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theSeededGeneratorRepeatsForOneKeyAndDiffersAcrossKeys() {
        Backoff b = Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1), 5);
        Duration a1 = b.delayBefore(4, Optional.empty(), Backoff.seeded("exec-1/step"));
        Duration a2 = b.delayBefore(4, Optional.empty(), Backoff.seeded("exec-1/step"));
        Duration other = b.delayBefore(4, Optional.empty(), Backoff.seeded("exec-2/step"));
        assertThat(a1).isEqualTo(a2).isNotEqualTo(other);
    }

    @Test
    void theConstructorRefusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), Backoff.Jitter.EQUAL, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below the initial");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), 2, Duration.ofSeconds(1), Backoff.Jitter.EQUAL, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, 0.5, Duration.ofSeconds(1), Backoff.Jitter.EQUAL, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Double.NaN, Duration.ofSeconds(1), Backoff.Jitter.EQUAL, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(1), Backoff.Jitter.EQUAL, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
