package dev.runbook.dsl.internal;

import dev.runbook.dsl.internal.PositionMapper.Position;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each field of one runbook was written, by the path syntax of core's {@code Problem} paths
 * ({@code steps[2].params.name}, {@code notification.on_success.slack.message}, {@code id}), so that problems
 * found on the model can be reported as {@code file:line:col}.
 */
public final class PathPositions {
    private record Entry(Position key, Position value, boolean collection) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private Position origin = new Position(1, 1);

    /** Records a field: where its key is (may be null for list items), where its value starts, and whether the value is a map or list. */
    public void put(String path, Position key, Position value, boolean collection) {
        entries.putIfAbsent(path, new Entry(key == null ? value : key, value, collection));
    }

    /** The position used when no path fits (the {@code runbook:} key). */
    public void origin(Position p) {
        origin = p;
    }

    /** The position of the key of this path when there is one. */
    public Optional<Position> key(String path) {
        return Optional.ofNullable(entries.get(path)).map(Entry::key);
    }

    /**
     * The best position for a problem at this path: the value of a scalar field, the key of a map or list field
     * (the value starts on another line), else the nearest recorded enclosing field.
     */
    public Position locate(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Entry e = entries.get(p);
            if (e != null) {
                return e.collection() ? e.key() : e.value();
            }
            p = parent(p);
        }
        return origin;
    }

    static String parent(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut <= 0 ? "" : path.substring(0, cut);
    }
}
