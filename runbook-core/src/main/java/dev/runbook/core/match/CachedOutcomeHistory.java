package dev.runbook.core.match;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@link OutcomeHistory#cached}: a bounded LRU of answers, each reused for a ttl on the given clock. */
final class CachedOutcomeHistory implements OutcomeHistory {
    private record Key(List<String> ids, String reason, String kind) {
    }

    private record Answer(Map<String, Outcomes> outcomes, Instant readAt) {
    }

    private final OutcomeHistory history;
    private final Duration ttl;
    private final Clock clock;
    private final Map<Key, Answer> answers;

    CachedOutcomeHistory(OutcomeHistory history, Duration ttl, int maxEntries, Clock clock) {
        this.history = Objects.requireNonNull(history, "history");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        this.ttl = ttl;
        this.answers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Answer> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public Map<String, Outcomes> outcomes(List<String> runbookIds, String rootCauseReason, String resourceKind) {
        var key = new Key(List.copyOf(runbookIds), rootCauseReason, resourceKind);
        Instant now = clock.instant();
        synchronized (answers) {
            Answer a = answers.get(key);
            if (a != null && now.isBefore(a.readAt().plus(ttl))) {
                return a.outcomes();
            }
        }
        // Read outside the lock: a slow database must not serialise every incident behind it.
        Map<String, Outcomes> fresh = Map.copyOf(history.outcomes(key.ids(), rootCauseReason, resourceKind));
        synchronized (answers) {
            answers.put(key, new Answer(fresh, now));
        }
        return fresh;
    }
}
