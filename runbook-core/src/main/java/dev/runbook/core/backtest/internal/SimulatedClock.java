package dev.runbook.core.backtest.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The backtest's clock: stands at the event time of the incident being replayed. */
public final class SimulatedClock extends Clock {
    private volatile Instant now;

    public SimulatedClock(Instant start) {
        this.now = start;
    }

    /** Moves the clock to this instant. */
    public void set(Instant instant) {
        this.now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this; // the engine reads instants only
    }

    @Override
    public Instant instant() {
        return now;
    }
}
