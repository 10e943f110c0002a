package dev.runbook.core.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one JSON writer and parser of every Runbook module (webhook and notifier bodies, the {@code json()} template
 * helper, audit and journal properties, CLI and dashboard output, Slack payloads). Internal to the project: shared
 * by its modules, not API for hosts, and it may change without notice.
 *
 * <p>Writing accepts {@link Map} (keys written with {@link String#valueOf}), {@link Iterable}s and arrays (of
 * objects or primitives), {@link Optional} (its value, or {@code null} when empty), {@link CharSequence},
 * {@link Number}, {@link Boolean} and {@code null}; anything else is written as its {@code toString()} text.
 *
 * <p>One policy everywhere:
 * <ul>
 * <li><b>NaN and infinities</b> are written as {@code null}, as JavaScript's {@code JSON.stringify} does: JSON has
 * no such numbers, and a record (an audit entry, a notification) must not be lost for one odd metric value.</li>
 * <li><b>Depth</b>: arrays and objects nested deeper than {@value #MAX_DEPTH} levels are an
 * {@link IllegalArgumentException}, both writing (a cycle) and parsing (hostile input).</li>
 * <li><b>Escaping</b>: quotes, backslashes and every character that must not reach a terminal or a JavaScript
 * consumer as it is (controls, DEL, invisible format and direction characters, line and paragraph separators,
 * lone surrogates, private-use and unassigned characters) are escaped; other text, emoji included, is kept.</li>
 * </ul>
 *
 * <p>Parsing follows RFC 8259: objects become {@link LinkedHashMap}s (keeping key order), arrays
 * {@link ArrayList}s, integers {@link Long} (falling back to {@link Double} outside the long range), other numbers
 * {@link Double}.
 */
public final class Json {
    /** The deepest nesting of arrays and objects accepted by both {@link #write} and {@link #parse}. */
    public static final int MAX_DEPTH = 200;

    private Json() {
    }

    /**
     * The value as compact JSON text.
     *
     * @throws IllegalArgumentException for nesting deeper than {@value #MAX_DEPTH}
     */
    public static String write(Object value) {
        var sb = new StringBuilder();
        write(value, sb, 0, -1);
        return sb.toString();
    }

    /**
     * The value as JSON text indented by two spaces per level, one member or element a line, for people to read.
     *
     * @throws IllegalArgumentException for nesting deeper than {@value #MAX_DEPTH}
     */
    public static String writeIndented(Object value) {
        var sb = new StringBuilder();
        write(value, sb, 0, 0);
        return sb.toString();
    }

    /** {@code indent} is -1 for compact output, else the current level. */
    private static void write(Object v, StringBuilder sb, int depth, int indent) {
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

    /** What {@link #copy} does with a {@code null} entry. */
    public enum Nulls {
        /** Refuse it, naming its path: a record should leave the key out instead. */
        REJECT,
        /** Leave it out (map entries and list elements alike): for data read from a library that fills in nulls. */
        DROP
    }

    /**
     * A deep immutable copy of plain values, equal to what {@link #parse} gives back for its {@link #write}: maps
     * (string keys, order kept), lists, text, booleans, whole numbers as {@link Long} (a {@link BigInteger} or
     * {@link BigDecimal} beyond the long range as {@link Double}) and other numbers as {@link Double}.
     *
     * @param in    the map
     * @param path  what the map is, for errors ({@code docker record}: {@code docker record.spec.previous: ...})
     * @param nulls what a {@code null} entry becomes
     * @throws IllegalArgumentException naming the path of a non-string key, of a {@code null} (with
     *                                  {@link Nulls#REJECT}) or of anything that is not a plain value
     */
    public static Map<String, Object> copy(Map<?, ?> in, String path, Nulls nulls) {
        return PlainCopy.map(in, path, nulls);
    }

    /**
     * Parses one JSON value (surrounding whitespace allowed, nothing else).
     *
     * @return a {@link LinkedHashMap}, {@link ArrayList}, {@link String}, {@link Long}, {@link Double},
     *         {@link Boolean} or {@code null} for the JSON {@code null}
     * @throws IllegalArgumentException naming the offset and what was expected
     */
    public static Object parse(String text) {
        var p = new Parser(text);
        p.skipWs();
        Object v = p.value(0);
        p.skipWs();
        if (p.pos < text.length()) {
            throw p.error("unexpected " + p.describeHere() + " after the JSON value");
        }
        return v;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = java.util.Objects.requireNonNull(s, "text");
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
        }

        String describeHere() {
            if (pos >= s.length()) {
                return "end of input";
            }
            char c = s.charAt(pos);
            return c < 0x20 ? String.format("character U+%04X", (int) c) : "'" + c + "'";
        }

        void skipWs() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) {
            if (pos >= s.length()) {
                throw error("expected a value but found end of input");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("expected a value but found " + describeHere());
            }
        }

        private Object literal(String word, Object result) {
            if (!s.startsWith(word, pos)) {
                throw error("expected '" + word + "'");
            }
            pos += word.length();
            return result;
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels");
            }
        }

        private Map<String, Object> object(int depth) {
            checkDepth(depth);
            pos++; // {
            var out = new LinkedHashMap<String, Object>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return out;
            }
            while (true) {
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("expected a string key but found " + describeHere());
                }
                String key = string();
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != ':') {
                    throw error("expected ':' after key \"" + key + "\" but found " + describeHere());
                }
                pos++;
                skipWs();
                out.put(key, value(depth));
                skipWs();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else if (pos < s.length() && s.charAt(pos) == '}') {
                    pos++;
                    return out;
                } else {
                    throw error("expected ',' or '}' but found " + describeHere());
                }
            }
        }

        private List<Object> array(int depth) {
            checkDepth(depth);
            pos++; // [
            var out = new ArrayList<Object>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return out;
            }
            while (true) {
                skipWs();
                out.add(value(depth));
                skipWs();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else if (pos < s.length() && s.charAt(pos) == ']') {
                    pos++;
                    return out;
                } else {
                    throw error("expected ',' or ']' but found " + describeHere());
                }
            }
        }

        private String string() {
            pos++; // opening quote
            var sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                pos++;
                if (pos >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(pos);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 5 > s.length()) {
                            throw error("incomplete \\u escape");
                        }
                        int code = 0;
                        for (int i = 1; i <= 4; i++) {
                            int d = Character.digit(s.charAt(pos + i), 16);
                            if (d < 0) {
                                pos += i;
                                throw error("invalid hex digit " + describeHere() + " in \\u escape");
                            }
                            code = code * 16 + d;
                        }
                        sb.append((char) code);
                        pos += 4;
                    }
                    default -> throw error("invalid escape '\\" + e + "'");
                }
                pos++;
            }
        }

        private Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length()) {
                throw error("expected a digit but found end of input");
            }
            if (s.charAt(pos) == '0') {
                pos++;
                if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    throw error("leading zeros are not allowed");
                }
            } else if (isDigit()) {
                digits();
            } else {
                throw error("expected a digit but found " + describeHere());
            }
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (!isDigit()) {
                    throw error("expected a digit after '.' but found " + describeHere());
                }
                digits();
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (!isDigit()) {
                    throw error("expected a digit in the exponent but found " + describeHere());
                }
                digits();
            }
            String text = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    return Double.parseDouble(text);
                }
            }
            return Double.parseDouble(text);
        }

        private boolean isDigit() {
            return pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9';
        }

        private void digits() {
            while (isDigit()) {
                pos++;
            }
        }
    }
}
