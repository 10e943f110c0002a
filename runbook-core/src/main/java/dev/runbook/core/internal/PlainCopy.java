package dev.runbook.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link Json#copy}'s walk: kept apart so that Json stays the writer and parser. */
final class PlainCopy {
    private PlainCopy() {
    }

    static Map<String, Object> map(Map<?, ?> in, String path, Json.Nulls nulls) {
        var out = new LinkedHashMap<String, Object>();
        for (var e : in.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new IllegalArgumentException(path + ": key " + e.getKey() + " is not a string");
            }
            if (e.getValue() == null && nulls == Json.Nulls.DROP) {
                continue;
            }
            out.put(k, value(e.getValue(), path + "." + k, nulls));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object value(Object v, String path, Json.Nulls nulls) {
        if (v instanceof Map<?, ?> m) {
            return map(m, path, nulls);
        }
        if (v instanceof Collection<?> c) {
            var out = new ArrayList<>(c.size());
            int i = 0;
            for (Object x : c) {
                if (x != null || nulls != Json.Nulls.DROP) {
                    out.add(value(x, path + "[" + i + "]", nulls));
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
        throw new IllegalArgumentException(path + ": " + (v == null ? "null (leave the key out instead)"
                : v.getClass().getName() + " is not a plain value (use maps, lists, strings, numbers, booleans)"));
    }
}
