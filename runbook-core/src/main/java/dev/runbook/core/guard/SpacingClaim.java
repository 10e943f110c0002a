package dev.runbook.core.guard;

import java.time.Duration;
import java.util.Objects;

/**
 * A minimum time between two events with this key (seed 002: at least 5 s between actions; a cooldown
 * per runbook and resource).
 *
 * @param key         the spacing key, for instance {@code actions:global}
 * @param minSpacing  the least time since the last event with this key
 * @param description for denial messages ({@code min_action_spacing 5s})
 */
public record SpacingClaim(String key, Duration minSpacing, String description) {
    public SpacingClaim {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(minSpacing, "minSpacing");
        Objects.requireNonNull(description, "description");
        if (minSpacing.isNegative()) {
            throw new IllegalArgumentException("spacing must not be negative");
        }
    }
}
