package dev.runbook.cli.internal;

import dev.runbook.core.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the commands' results as indented JSON with the project's one JSON writer (escaping and NaN policy in
 * {@link Json}); values other than JSON's own types are written as text.
 */
final class JsonOut {
    private JsonOut() {
    }

    static String write(Object value) {
        return Json.writeIndented(plain(value));
    }

    static String compact(Object value) {
        return Json.write(plain(value));
    }

    static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Optional<?> o) {
            return o.map(JsonOut::plain).orElse(null);
        }
        if (v instanceof Map<?, ?> m) {
            var out = new LinkedHashMap<String, Object>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof Iterable<?> it) {
            var out = new ArrayList<Object>();
            it.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v.toString();
    }

    /** An ordered map from alternating keys and values. */
    static Map<String, Object> obj(Object... kv) {
        var m = new LinkedHashMap<String, Object>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static <T> List<Object> list(List<T> items, java.util.function.Function<T, Object> f) {
        var out = new ArrayList<Object>(items.size());
        items.forEach(x -> out.add(f.apply(x)));
        return out;
    }
}
