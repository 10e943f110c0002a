package dev.runbook.neo4j.internal;

import java.util.Collection;
import java.util.Map;

/**
 * Plain values (maps, lists, strings, numbers, booleans, null) as JSON text, for audit and journal properties,
 * and back (parsing is core's strict parser).
 */
public final class JsonText {
    private JsonText() {
    }

    /** The value as JSON; anything that is not plain is written as its text. */
    public static String of(Object value) {
        var sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    /**
     * The plain value of JSON text this class wrote: maps, lists, strings, longs, doubles, booleans or null.
     *
     * @throws IllegalArgumentException when the text is not JSON
     */
    public static Object parse(String text) {
        return dev.runbook.core.internal.Json.parse(text);
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        if (depth > 64) {
            // self-referencing structures cannot come from the engine, but must not hang the writer
            sb.append("\"...\"");
            return;
        }
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof Short) {
            sb.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            sb.append(Double.isFinite(d) ? String.valueOf(n) : "\"" + n + "\"");
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (var e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue(), depth + 1);
            }
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object x : c) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(sb, x, depth + 1);
            }
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
