package dev.runbook.core.guard;

import java.time.Duration;
import java.util.Objects;

/**
 * A sliding-window rate limit: granted only if fewer than {@code limit - amount + 1} events with this
 * key happened in the last {@code window}; when granted, {@code amount} events are recorded.
 *
 * @param key         the counter, for instance {@code runbook:oom-v1}
 * @param window      the sliding window, for instance one hour
 * @param limit       events allowed in a window
 * @param amount      events this reservation records (the number of mutating actions, or 1)
 * @param description the limit as the runbook writes it ({@code max_executions_per_hour 5 for runbook oom-v1})
 */
public record CounterClaim(String key, Duration window, int limit, int amount, String description) {
    public CounterClaim {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(description, "description");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        if (limit < 0 || amount < 1) {
            throw new IllegalArgumentException("need limit >= 0 and amount >= 1, got " + limit + ", " + amount);
        }
    }
}
