package dev.runbook.core.internal;

import java.time.Duration;

/** How durations are written in reasons and errors: one home, so every message words them the same way. */
public final class Durations {
    private Durations() {
    }

    /** {@code 1h}, {@code 5m}, {@code 4s} (whole seconds, rounded down), or {@code 250ms} under a second. */
    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + "m";
        }
        if (s >= 1) {
            return s + "s";
        }
        return d.toMillis() + "ms";
    }

    /** Like {@link #human} but never rounds: {@code 1500ms} stays {@code 1500ms} (timeouts, deadlines). */
    public static String exact(Duration d) {
        long s = d.toSeconds();
        if (d.toNanosPart() % 1_000_000 == 0 && d.toMillisPart() == 0) {
            return human(d);
        }
        return s >= 60 ? d.toString() : d.toMillis() + "ms";
    }
}
