package dev.runbook.core.compile.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One immutable copy of each distinct set of names in a library (the action names, outputs and secrets of its
 * runbooks): a library repeats a few such sets, so its compiled runbooks share them rather than each copying its own.
 * One per library build; not thread-safe.
 */
public final class NameSets {
    private final Map<Set<String>, Set<String>> sets = new HashMap<>();
    /** Sets of one name, the most common kind (a runbook of one action), looked up by that name. */
    private final Map<String, Set<String>> singles = new HashMap<>();

    /** The shared immutable set equal to {@code names}. */
    public Set<String> of(Set<String> names) {
        if (names.isEmpty()) {
            return Set.of();
        }
        if (names.size() == 1) {
            return singles.computeIfAbsent(names.iterator().next(), Set::of);
        }
        Set<String> hit = sets.get(names);
        if (hit == null) {
            hit = Set.copyOf(names);
            sets.put(hit, hit);
        }
        return hit;
    }
}
