package dev.runbook.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Writes the commands' results as indented JSON; values other than JSON's own types are written as text. */
final class JsonOut {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final ObjectMapper COMPACT = new ObjectMapper();

    private JsonOut() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(plain(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Compact JSON on one line. */
    static String compact(Object value) {
        try {
            return COMPACT.writeValueAsString(plain(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Maps, lists, strings, numbers, booleans and null as they are; Optional unwrapped; anything else as text. */
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
