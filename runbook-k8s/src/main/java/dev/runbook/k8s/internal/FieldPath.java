package dev.runbook.k8s.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path into an object in the seed's syntax: {@code spec.containers[0].resources.limits.memory}, or by name
 * {@code spec.containers[name=app].image}. Parsed once, then read from plain maps and lists.
 */
public final class FieldPath {
    /** One step: a key, a list index, or a list element selected by a field's value. */
    sealed interface Segment permits Key, Index, Select {
    }

    record Key(String name) implements Segment {
    }

    record Index(int index) implements Segment {
    }

    record Select(String field, String value) implements Segment {
    }

    private final String text;
    private final List<Segment> segments;

    private FieldPath(String text, List<Segment> segments) {
        this.text = text;
        this.segments = List.copyOf(segments);
    }

    /**
     * Parses a path.
     *
     * @throws IllegalArgumentException naming the position when it is malformed
     */
    public static FieldPath parse(String text) {
        String s = text.trim();
        if (s.startsWith(".")) {
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("field path is empty; write for instance spec.containers[0].image");
        }
        var out = new ArrayList<Segment>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '[') {
                int end = s.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("field path '" + text + "': '[' at position " + (i + 1)
                            + " is not closed");
                }
                String inside = s.substring(i + 1, end).trim();
                int eq = inside.indexOf('=');
                if (eq > 0) {
                    String value = inside.substring(eq + 1).trim();
                    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                        value = value.substring(1, value.length() - 1);
                    }
                    out.add(new Select(inside.substring(0, eq).trim(), value));
                } else {
                    try {
                        int idx = Integer.parseInt(inside);
                        if (idx < 0) {
                            throw new NumberFormatException();
                        }
                        out.add(new Index(idx));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("field path '" + text + "': '[" + inside + "]' at position "
                                + (i + 1) + " must be an index such as [0] or a selector such as [name=app]");
                    }
                }
                i = end + 1;
                if (i < s.length() && s.charAt(i) == '.') {
                    i++;
                }
            } else {
                int j = i;
                while (j < s.length() && s.charAt(j) != '.' && s.charAt(j) != '[') {
                    j++;
                }
                String key = s.substring(i, j);
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("field path '" + text + "': empty name at position " + (i + 1));
                }
                out.add(new Key(key));
                i = j < s.length() && s.charAt(j) == '.' ? j + 1 : j;
                if (j < s.length() && s.charAt(j) == '.' && i >= s.length()) {
                    throw new IllegalArgumentException("field path '" + text + "' ends with '.'");
                }
            }
        }
        return new FieldPath(text.trim(), out);
    }

    /** The value at this path, or empty when some step is missing. */
    public Optional<Object> read(Object root) {
        Object cur = root;
        for (Segment seg : segments) {
            if (cur == null) {
                return Optional.empty();
            }
            if (seg instanceof Key k) {
                if (!(cur instanceof Map<?, ?> m)) {
                    return Optional.empty();
                }
                cur = m.get(k.name());
            } else if (seg instanceof Index ix) {
                if (!(cur instanceof List<?> l) || ix.index() >= l.size()) {
                    return Optional.empty();
                }
                cur = l.get(ix.index());
            } else if (seg instanceof Select sel) {
                if (!(cur instanceof List<?> l)) {
                    return Optional.empty();
                }
                Object found = null;
                for (Object e : l) {
                    if (e instanceof Map<?, ?> m && m.get(sel.field()) != null
                            && String.valueOf(m.get(sel.field())).equals(sel.value())) {
                        found = e;
                        break;
                    }
                }
                cur = found;
            }
        }
        return Optional.ofNullable(cur);
    }

    @Override
    public String toString() {
        return text;
    }
}
