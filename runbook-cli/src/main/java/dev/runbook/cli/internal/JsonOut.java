package dev.runbook.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.runbook.core.model.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Writes the commands' results as indented JSON; values other than JSON's own types are written as text. */
final class JsonOut {
    private static final ObjectMapper MAPPER = safe(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT));

    private static final ObjectMapper COMPACT = safe(new ObjectMapper());

    /**
     * Jackson escapes the C0 controls itself; DEL, the C1 controls (U+009B starts an escape sequence on many
     * terminals) and invisible or direction-changing characters are escaped too, as in text output.
     */
    private static final class SafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        SafeEscapes() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            ascii[0x7F] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // Surrogates are halves of characters beyond U+FFFF (emoji); Jackson hands them over one by one.
            if (Character.isSurrogate((char) ch) || !Ids.unsafe(ch)) {
                return null;
            }
            return new SerializedString(String.format(Locale.ROOT, "\\u%04X", ch));
        }
    }

    private static ObjectMapper safe(ObjectMapper mapper) {
        mapper.getFactory().setCharacterEscapes(new SafeEscapes());
        return mapper;
    }

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
