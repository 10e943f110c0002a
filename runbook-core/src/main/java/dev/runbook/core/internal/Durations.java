package dev.runbook.core.internal;

import java.time.Duration;

/** How guard stores write durations in their reasons, so every store words a denial the same way. */
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
}
