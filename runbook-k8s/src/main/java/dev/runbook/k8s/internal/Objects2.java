package dev.runbook.k8s.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Converting Kubernetes objects to plain values (maps, lists, String, Long, Double, Boolean) and to JSON, and
 * diffing two objects leaf by leaf. JSON is always written by Jackson from a tree: values from incidents are
 * never spliced into JSON text.
 */
public final class Objects2 {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> NOISE = Set.of("metadata.resourceVersion", "metadata.generation",
            "metadata.managedFields", "metadata.creationTimestamp", "metadata.uid", "status");

    private Objects2() {
    }

    /** The object as plain, unmodifiable maps and lists. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(Object object) {
        Object plain = plain(MAPPER.convertValue(object, Map.class));
        return plain == null ? Map.of() : (Map<String, Object>) plain;
    }

    /** The value converted to {@code type} through JSON. */
    public static <T> T convert(Object value, Class<T> type) {
        return MAPPER.convertValue(value, type);
    }

    /** JSON text of a plain value or model object. */
    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Plain immutable copy: Integer to Long, Float/BigDecimal to Double, maps keep their order. */
    public static Object plain(Object v) {
        if (v instanceof Map<?, ?> m) {
            var out = new LinkedHashMap<String, Object>();
            m.forEach((k, x) -> {
                Object p = plain(x);
                if (p != null) {
                    out.put(String.valueOf(k), p);
                }
            });
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            var out = new ArrayList<Object>();
            for (Object x : l) {
                out.add(plain(x));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        }
        if (v instanceof Float || v instanceof BigDecimal) {
            return ((Number) v).doubleValue();
        }
        return v;
    }

    /** One changed leaf. */
    public record Change(String path, Object before, Object after) {
        /** {@code memory 256Mi -> 512Mi}: the last path segment only. */
        public String shortText() {
            String p = path;
            int dot = p.lastIndexOf('.');
            String leaf = dot >= 0 ? p.substring(dot + 1) : p;
            return leaf + " " + show(before) + " -> " + show(after);
        }

        /** Full path with both values. */
        public String text() {
            return path + ": " + show(before) + " -> " + show(after);
        }

        private static String show(Object v) {
            return v == null ? "(none)" : String.valueOf(v);
        }
    }

    /**
     * Leaves that differ between two objects, ignoring bookkeeping (resource version, generation, managed fields,
     * status). Lists of maps with a {@code name} are compared element by name ({@code containers[name=app]}).
     */
    public static List<Change> diff(Map<String, Object> before, Map<String, Object> after) {
        var out = new ArrayList<Change>();
        diff("", before, after, out);
        return List.copyOf(out);
    }

    private static void diff(String path, Object a, Object b, List<Change> out) {
        if (NOISE.contains(path) || Objects.equals(a, b)) {
            return;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            var keys = new java.util.LinkedHashSet<Object>(ma.keySet());
            keys.addAll(mb.keySet());
            for (Object k : keys) {
                diff(path.isEmpty() ? String.valueOf(k) : path + "." + k, ma.get(k), mb.get(k), out);
            }
            return;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (named(la) && named(lb)) {
                var byName = new LinkedHashMap<Object, Object[]>();
                la.forEach(e -> byName.computeIfAbsent(((Map<?, ?>) e).get("name"), x -> new Object[2])[0] = e);
                lb.forEach(e -> byName.computeIfAbsent(((Map<?, ?>) e).get("name"), x -> new Object[2])[1] = e);
                byName.forEach((n, pair) -> diff(path + "[name=" + n + "]", pair[0], pair[1], out));
                return;
            }
            if (la.size() == lb.size()) {
                for (int i = 0; i < la.size(); i++) {
                    diff(path + "[" + i + "]", la.get(i), lb.get(i), out);
                }
                return;
            }
        }
        out.add(new Change(path, a, b));
    }

    private static boolean named(List<?> l) {
        return !l.isEmpty() && l.stream().allMatch(e -> e instanceof Map<?, ?> m && m.get("name") != null);
    }

    /** {@code memory 256Mi -> 512Mi, cpu 1 -> 2} (at most three, then {@code +N more}); {@code no change} if none. */
    public static String summarize(List<Change> changes) {
        if (changes.isEmpty()) {
            return "no change";
        }
        var parts = new ArrayList<String>();
        for (int i = 0; i < Math.min(3, changes.size()); i++) {
            parts.add(changes.get(i).shortText());
        }
        String s = String.join(", ", parts);
        return changes.size() > 3 ? s + " (+" + (changes.size() - 3) + " more)" : s;
    }
}
