package dev.runbook.core.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;

/** {@link Json#write}'s walk and escaping, kept apart so that Json stays the one entry point (policy: see Json). */
final class JsonWriter {
    private static final int MAX_DEPTH = Json.MAX_DEPTH;

    private JsonWriter() {
    }

    /** {@code indent} is -1 for compact output, else the current level. */
    static void write(Object v, StringBuilder sb, int depth, int indent) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (v instanceof Optional<?> o) {
            v = o.orElse(null);
        }
        if (v == null) {
            sb.append("null");
        } else if (v instanceof CharSequence s) {
            quote(s, sb);
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof Double || v instanceof Float) {
            number(((Number) v).doubleValue(), v instanceof Float ? Float.toString((Float) v) : null, sb);
        } else if (v instanceof BigDecimal bd) {
            sb.append(bd.toString());
        } else if (v instanceof Number n) {
            sb.append(n instanceof BigInteger ? n.toString() : Long.toString(n.longValue()));
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (var e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, 1);
                quote(String.valueOf(e.getKey()), sb);
                sb.append(indent < 0 ? ":" : ": ");
                write(e.getValue(), sb, depth + 1, indent < 0 ? -1 : indent + 1);
            }
            if (!first) {
                newline(sb, indent, 0);
            }
            sb.append('}');
        } else if (v instanceof Iterable<?> it) {
            sb.append('[');
            boolean first = true;
            for (Object o : it) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, 1);
                write(o, sb, depth + 1, indent < 0 ? -1 : indent + 1);
            }
            if (!first) {
                newline(sb, indent, 0);
            }
            sb.append(']');
        } else if (v.getClass().isArray()) {
            var list = new ArrayList<Object>();
            for (int i = 0; i < Array.getLength(v); i++) {
                list.add(Array.get(v, i));
            }
            write(list, sb, depth, indent);
        } else {
            quote(v.toString(), sb);
        }
    }

    private static void newline(StringBuilder sb, int indent, int deeper) {
        if (indent >= 0) {
            sb.append('\n').append("  ".repeat(indent + deeper));
        }
    }

    private static void number(double d, String floatText, StringBuilder sb) {
        if (!Double.isFinite(d)) {
            sb.append("null"); // the policy above: JSON has no NaN or infinity
        } else if (floatText != null) {
            sb.append(floatText); // 0.1f stays 0.1, not 0.10000000149011612
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            sb.append((long) d).append(".0");
        } else {
            sb.append(d);
        }
    }

    private static void quote(CharSequence s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, s.charAt(i + 1));
                        if (unsafe(cp)) {
                            sb.append(String.format("\\u%04X\\u%04X", (int) c, (int) s.charAt(i + 1)));
                        } else {
                            sb.append(c).append(s.charAt(i + 1));
                        }
                        i++;
                    } else if (unsafe(c)) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Controls, DEL, format (invisible, direction), separators, surrogates, private-use and unassigned. */
    private static boolean unsafe(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            default -> false;
        };
    }
}
