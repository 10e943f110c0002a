package dev.runbook.docker.internal;

import dev.runbook.core.internal.Json;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Deep, immutable copies of plain values (maps with string keys, lists, strings, booleans, numbers). Whole numbers
 * become {@code Long} and others {@code Double}, and null entries are dropped, so that a value read back from a
 * store (JSON, Neo4j) equals the one written.
 */
public final class Plain {
    private Plain() {
    }

    /** A deep immutable copy of a map of plain values, nulls left out (core's {@link Json#copy}). */
    public static Map<String, Object> map(Map<?, ?> in) {
        return Json.copy(in, "settings", Json.Nulls.DROP);
    }

    /** The map under {@code key}, or an empty one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> child(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The strings of the list under {@code key}, or none. */
    static List<String> strings(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof Collection<?> c ? c.stream().map(String::valueOf).toList() : List.of();
    }
}
