package dev.runbook.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} for tests that only moves when told to: {@link TestActionContext#sleep} advances it
 * instead of sleeping. Thread-safe.
 */
public final class TestClock extends Clock {
    /** The instant new test clocks start at. */
    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

    private final ZoneId zone;
    private volatile Instant now;

    /** A clock at {@link #DEFAULT_START}, UTC. */
    public TestClock() {
        this(DEFAULT_START);
    }

    /** A clock at this instant, UTC. */
    public TestClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    private TestClock(Instant start, ZoneId zone) {
        this.now = Objects.requireNonNull(start, "start");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** Moves the clock forward. */
    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a test clock only moves forward, got " + duration);
        }
        now = now.plus(duration);
    }

    /** Sets the clock to this instant (not before the current one). */
    public synchronized void set(Instant instant) {
        if (instant.isBefore(now)) {
            throw new IllegalArgumentException("a test clock only moves forward: " + instant + " is before " + now);
        }
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A clock sharing nothing with this one, at the same instant, in another zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new TestClock(now, zone);
    }

    @Override
    public String toString() {
        return "TestClock[" + now + "]";
    }
}
