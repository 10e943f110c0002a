package dev.runbook.core.model;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Immutable copies that keep the written order (for readable explanations) and reject null elements. */
final class Sets {
    private Sets() {
    }

    static Set<String> ordered(Collection<String> values, String what) {
        Objects.requireNonNull(values, what);
        // Most trigger and safety sets are empty or hold one value: no LinkedHashSet for them (a library of
        // 100,000 runbooks holds several per runbook).
        if (values.isEmpty()) {
            return Set.of();
        }
        if (values.size() == 1) {
            return Set.of(Objects.requireNonNull(values.iterator().next(), what + " element"));
        }
        var out = new LinkedHashSet<String>();
        for (String v : values) {
            out.add(Objects.requireNonNull(v, what + " element"));
        }
        return Collections.unmodifiableSet(out);
    }

    static Map<String, String> orderedMap(Map<String, String> values, String what) {
        Objects.requireNonNull(values, what);
        if (values.isEmpty()) {
            return Map.of();
        }
        var out = new LinkedHashMap<String, String>();
        values.forEach((k, v) -> out.put(Objects.requireNonNull(k, what + " key"), Objects.requireNonNull(v, what + " value")));
        return Collections.unmodifiableMap(out);
    }
}
