package dev.runbook.core.guard;

import java.time.Duration;
import java.util.Objects;

/**
 * An exclusive lock to take, for instance one active execution per resource. Expires after {@code ttl}
 * so a holder that died does not block forever.
 *
 * @param key         what is locked, for instance {@code resource:Pod/default/web-1}
 * @param ttl         how long the lock lasts unless released
 * @param description what the lock means, for denial messages ({@code resource Pod/default/web-1})
 */
public record LockClaim(String key, Duration ttl, String description) {
    public LockClaim {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(description, "description");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("lock ttl must be positive");
        }
    }
}
