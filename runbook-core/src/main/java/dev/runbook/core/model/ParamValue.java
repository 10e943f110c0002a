package dev.runbook.core.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node of a step's parameter tree. String leaves may hold {@code {{ }}} templates; maps and lists
 * are structure that rendering never changes, so a value coming from an incident can fill a leaf but
 * can never add keys, list items or documents.
 *
 * <p>Numbers are normalised ({@code int}/{@code long} to {@link Long}, {@code float}/{@code double}
 * to {@link Double}) so that the same runbook written in YAML, Markdown or Java gives equal trees.
 */
public sealed interface ParamValue permits ParamValue.Scalar, ParamValue.ListValue, ParamValue.MapValue, ParamValue.Null {

    /** A string, number or boolean leaf. */
    record Scalar(Object value) implements ParamValue {
        public Scalar {
            Objects.requireNonNull(value, "value");
            value = normalise(value);
        }

        /** Whether this leaf is a string (and therefore may be a template). */
        public boolean isText() {
            return value instanceof String;
        }

        private static Object normalise(Object v) {
            if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return ((Number) v).longValue();
            }
            if (v instanceof Float) {
                return ((Float) v).doubleValue();
            }
            if (v instanceof BigInteger big && big.bitLength() < 64) {
                return big.longValue();
            }
            if (v instanceof BigDecimal dec) {
                return dec.doubleValue();
            }
            if (v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) {
                return v;
            }
            throw new IllegalArgumentException("unsupported parameter value type " + v.getClass().getName()
                    + " (use a string, number, boolean, list or map)");
        }
    }

    /** An ordered list of values. */
    record ListValue(List<ParamValue> items) implements ParamValue {
        public ListValue {
            items = List.copyOf(items);
        }
    }

    /** A map with string keys; iteration keeps the written order. */
    record MapValue(Map<String, ParamValue> entries) implements ParamValue {
        public MapValue {
            Objects.requireNonNull(entries, "entries");
            var copy = new LinkedHashMap<String, ParamValue>();
            entries.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value of " + k)));
            entries = Collections.unmodifiableMap(copy);
        }

        /** The empty map. */
        public static MapValue empty() {
            return new MapValue(Map.of());
        }
    }

    /** An explicit null (YAML {@code ~} or {@code null}). */
    enum Null implements ParamValue {
        INSTANCE
    }

    /** A text leaf. */
    static ParamValue text(String s) {
        return new Scalar(s);
    }

    /**
     * Converts plain Java values (String, Number, Boolean, Map, List, null, or ParamValue) into a tree.
     *
     * @throws IllegalArgumentException for any other type
     */
    static ParamValue of(Object value) {
        if (value == null) {
            return Null.INSTANCE;
        }
        if (value instanceof ParamValue pv) {
            return pv;
        }
        if (value instanceof Map<?, ?> map) {
            var out = new LinkedHashMap<String, ParamValue>();
            map.forEach((k, v) -> out.put(String.valueOf(k), of(v)));
            return new MapValue(out);
        }
        if (value instanceof List<?> list) {
            var out = new ArrayList<ParamValue>(list.size());
            list.forEach(v -> out.add(of(v)));
            return new ListValue(out);
        }
        return new Scalar(value);
    }

    /** Converts a map of plain Java values into a {@link MapValue}. */
    static MapValue mapOf(Map<String, ?> values) {
        return (MapValue) of(values == null ? Map.of() : values);
    }

    /** The plain Java value of this tree (Maps, Lists, Strings, Longs, Doubles, Booleans, null), unmodifiable. */
    default Object toPlain() {
        if (this instanceof Scalar s) {
            return s.value();
        }
        if (this instanceof ListValue l) {
            var out = new ArrayList<>(l.items().size());
            l.items().forEach(i -> out.add(i.toPlain()));
            return Collections.unmodifiableList(out);
        }
        if (this instanceof MapValue m) {
            var out = new LinkedHashMap<String, Object>();
            m.entries().forEach((k, v) -> out.put(k, v.toPlain()));
            return Collections.unmodifiableMap(out);
        }
        return null;
    }
}
