package dev.runbook.dsl.internal;

import dev.runbook.dsl.internal.PositionMapper.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Where each field of one runbook was written, by the path syntax of core's {@code Problem} paths
 * ({@code steps[2].params.name}, {@code notification.on_success.slack.message}, {@code id}), so that problems
 * found on the model can be reported as {@code file:line:col}.
 *
 * <p>Fields read from nodes are only noted as they are read; their positions are worked out when the first
 * position is asked for. Most runbooks load without a problem, so most are never asked for at all.
 */
public final class PathPositions {
    private record Entry(Position key, Position value, boolean collection) {
    }

    /** A field noted from its nodes, not yet turned into positions. */
    private record Noted(String path, Node key, Node value, PositionMapper mapper) {
    }

    private final List<Noted> noted = new ArrayList<>();
    private final Map<String, Entry> entries = new HashMap<>();
    private Position origin = new Position(1, 1);

    /** The file position where this node starts (the text's first position when the node has no mark). */
    static Position of(Node n, PositionMapper m) {
        return n.getStartMark().map(k -> m.at(k.getLine(), k.getColumn())).orElse(m.at(0, 0));
    }

    /**
     * Records a field from its nodes: its key (null for list items), its value, and the mapper that turns their
     * marks into file positions. The first record of a path wins, as with {@link #put(String, Position, Position, boolean)}.
     */
    public void put(String path, Node key, Node value, PositionMapper mapper) {
        noted.add(new Noted(path, key, value, mapper));
    }

    /** Records a field: where its key is (may be null for list items), where its value starts, and whether the value is a map or list. */
    public void put(String path, Position key, Position value, boolean collection) {
        settle();
        entries.putIfAbsent(path, new Entry(key == null ? value : key, value, collection));
    }

    /** Turns the noted fields into entries, in the order they were noted. */
    private void settle() {
        for (Noted n : noted) {
            if (!entries.containsKey(n.path())) {
                Position value = of(n.value(), n.mapper());
                entries.put(n.path(), new Entry(n.key() == null ? value : of(n.key(), n.mapper()), value,
                        !(n.value() instanceof ScalarNode)));
            }
        }
        noted.clear();
    }

    /** The position used when no path fits (the {@code runbook:} key). */
    public void origin(Position p) {
        origin = p;
    }

    /** The position of the key of this path when there is one. */
    public Optional<Position> key(String path) {
        settle();
        return Optional.ofNullable(entries.get(path)).map(Entry::key);
    }

    /**
     * The best position for a problem at this path: the value of a scalar field, the key of a map or list field
     * (the value starts on another line), else the nearest recorded enclosing field.
     */
    public Position locate(String path) {
        settle();
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
