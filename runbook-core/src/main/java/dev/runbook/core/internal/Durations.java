package dev.runbook.core.internal;

import java.time.Duration;

/**
 * How durations are written in reasons, errors, logs and views: one home, so every module words them the same way
 * (internal to the project, not API for hosts).
 */
public final class Durations {
    private Durations() {
    }

    /**
     * The duration in the largest unit that holds it exactly: {@code 1h}, {@code 2m} (never {@code 120s}),
     * {@code 90s}, {@code 1500ms} (never rounded to {@code 1s}), {@code 0s}; a negative duration gets a leading
     * {@code -}. A part below a millisecond is kept in ISO-8601 form ({@code PT0.0000015S}).
     */
    public static String human(Duration d) {
        if (d.isNegative()) {
            return "-" + human(d.negated());
        }
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
