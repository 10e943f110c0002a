package dev.runbook.docker.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    /** A deep immutable copy of a map of plain values. */
    public static Map<String, Object> map(Map<?, ?> in) {
        return copyMap(in, "");
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object v, String path) {
        if (v instanceof Map<?, ?> m) {
            return copyMap(m, path);
        }
        if (v instanceof Collection<?> c) {
            var out = new ArrayList<>(c.size());
            int i = 0;
            for (Object x : c) {
                if (x != null) {
                    out.add(copy(x, path + "[" + i + "]"));
                }
                i++;
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                    ? (Object) d.longValue() : (Object) d.doubleValue();
        }
        throw new IllegalArgumentException("not a plain value at '" + path + "': " + v.getClass().getName()
                + " (use maps, lists, strings, numbers and booleans)");
    }

    private static Map<String, Object> copyMap(Map<?, ?> in, String path) {
        var out = new LinkedHashMap<String, Object>();
        for (var e : in.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                continue;
            }
            String k = e.getKey().toString();
            out.put(k, copy(e.getValue(), path.isEmpty() ? k : path + "." + k));
        }
        return Collections.unmodifiableMap(out);
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
