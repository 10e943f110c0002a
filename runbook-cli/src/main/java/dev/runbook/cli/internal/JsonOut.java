package dev.runbook.cli.internal;

import dev.runbook.core.engine.ExecutionView;
import dev.runbook.core.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the commands' results as indented JSON with the project's one JSON writer (escaping and NaN policy in
 * {@link Json}), after core's one plain-value conversion ({@link ExecutionView#plain}: durations as {@code 5m},
 * times as ISO-8601, other values as text).
 */
final class JsonOut {
    private JsonOut() {
    }

    static String write(Object value) {
        return Json.writeIndented(ExecutionView.plain(value));
    }

    static String compact(Object value) {
        return Json.write(ExecutionView.plain(value));
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
