package dev.runbook.core.compile;

import dev.runbook.core.expression.CompiledTemplate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parameter tree whose string leaves are compiled templates. Rendering walks the tree and renders leaf
 * by leaf, so values (from an incident or an action's output) fill leaves but never change the tree's
 * shape: no key, list item or document can be injected. Thread-safe.
 */
public final class CompiledParams {

    /** A node of the compiled tree. */
    sealed interface Node permits Literal, Leaf, MapNode, ListNode {
    }

    record Literal(Object value) implements Node {
    }

    record Leaf(CompiledTemplate template, boolean secret) implements Node {
    }

    record MapNode(Map<String, Node> entries) implements Node {
    }

    record ListNode(List<Node> items) implements Node {
    }

    /** What {@code ***} replaces in recorded values. */
    public static final String MASK = "***";

    private final MapNode root;

    CompiledParams(MapNode root) {
        this.root = root;
    }

    /**
     * Renders every leaf with these variables; the result is an unmodifiable tree of plain values. A template block
     * without a value is refused ({@link CompiledTemplate#renderRequired}): a step must not act on an empty name.
     *
     * @throws dev.runbook.core.expression.MissingValueException naming the path that had no value
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> render(Map<String, ?> variables) {
        return render(variables, Set.of());
    }

    /**
     * Like {@link #render(Map)}, but paths under {@code unknownRoots} may be missing: variables whose values a dry
     * run does not know (outputs of steps it did not run).
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> render(Map<String, ?> variables, Set<String> unknownRoots) {
        return (Map<String, Object>) render(root, variables, false, unknownRoots);
    }

    /** Like {@link #render(Map, Set)} but leaves that read a secret show {@link #MASK}: for records and the audit. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> renderMasked(Map<String, ?> variables, Set<String> unknownRoots) {
        return (Map<String, Object>) render(root, variables, true, unknownRoots);
    }

    /**
     * Like {@link #render} but a block without a value renders as {@code null} (as the empty string within text):
     * for notifications, which should reach people even when a field is missing.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> renderAllowingMissing(Map<String, ?> variables) {
        return (Map<String, Object>) render(root, variables, false, null);
    }

    /** Whether any leaf reads a secret. */
    public boolean readsSecrets() {
        return readsSecrets(root);
    }

    private static boolean readsSecrets(Node n) {
        if (n instanceof Leaf l) {
            return l.secret();
        }
        if (n instanceof MapNode m) {
            return m.entries().values().stream().anyMatch(CompiledParams::readsSecrets);
        }
        if (n instanceof ListNode l) {
            return l.items().stream().anyMatch(CompiledParams::readsSecrets);
        }
        return false;
    }

    /** {@code unknownRoots} null: lenient; else strict except under those roots. */
    private static Object render(Node n, Map<String, ?> vars, boolean mask, Set<String> unknownRoots) {
        if (n instanceof Literal l) {
            return l.value();
        }
        if (n instanceof Leaf leaf) {
            if (mask && leaf.secret()) {
                return MASK;
            }
            return unknownRoots != null ? leaf.template().renderRequired(vars, unknownRoots) : leaf.template().render(vars);
        }
        if (n instanceof MapNode m) {
            var out = new LinkedHashMap<String, Object>();
            m.entries().forEach((k, v) -> out.put(k, render(v, vars, mask, unknownRoots)));
            return Collections.unmodifiableMap(out);
        }
        var list = (ListNode) n;
        var out = new ArrayList<>(list.items().size());
        for (Node item : list.items()) {
            out.add(render(item, vars, mask, unknownRoots));
        }
        return Collections.unmodifiableList(out);
    }

    static boolean intersects(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return false; // the usual case, a runbook without secrets: no iterator
        }
        for (String s : a) {
            if (b.contains(s)) {
                return true;
            }
        }
        return false;
    }
}
