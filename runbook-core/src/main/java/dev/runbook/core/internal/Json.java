package dev.runbook.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        JsonWriter.write(value, sb, 0, -1);
        return sb.toString();
    }

    /**
     * The value as JSON text indented by two spaces per level, one member or element a line, for people to read.
     *
     * @throws IllegalArgumentException for nesting deeper than {@value #MAX_DEPTH}
     */
    public static String writeIndented(Object value) {
        var sb = new StringBuilder();
        JsonWriter.write(value, sb, 0, 0);
        return sb.toString();
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
        return JsonParser.parse(text);
    }
}
