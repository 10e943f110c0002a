package dev.runbook.dsl.internal;

import static dev.runbook.dsl.internal.RunbookNodeReader.MAX_DEPTH;
import static dev.runbook.dsl.internal.RunbookNodeReader.NODE_BUDGET;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Set;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The hostile-structure guard of {@link RunbookNodeReader}, run once over a document (and over each document inside a
 * block scalar) before reading it: alias bombs, deep nesting, recursive aliases, tags, unquoted templates and
 * duplicate or non-text keys.
 */
abstract class NodeGuard extends ReadProblems {
    private static final Set<Tag> STANDARD_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ);

    /** Whether a tag is plain YAML; the resolver hands out the constants, so identity decides almost every node. */
    private static boolean standard(Tag t) {
        return t == Tag.STR || t == Tag.MAP || t == Tag.SEQ || STANDARD_TAGS.contains(t);
    }

    NodeGuard(String source, String file, PositionMapper mapper) {
        super(source, file, mapper);
    }

    void guard(Node n, PositionMapper m, int depth, IdentityHashMap<Node, Boolean> onPath) {
        if (--budget < 0) {
            error(pos(n, m), "document refused: more than " + NODE_BUDGET
                    + " values once aliases are expanded (an alias bomb?); write the values out instead");
            throw new Fatal();
        }
        if (depth > MAX_DEPTH) {
            error(pos(n, m), "document refused: nested deeper than " + MAX_DEPTH + " levels");
            throw new Fatal();
        }
        if (onPath.containsKey(n)) {
            error(pos(n, m), "document refused: recursive alias (an anchor used inside itself)");
            throw new Fatal();
        }
        if (!standard(n.getTag())) {
            error(pos(n, m), "tag '" + n.getTag().getValue().replace(Tag.PREFIX, "!!") + "' is not allowed in runbooks; remove it "
                    + "(only plain YAML values: text, numbers, true/false, null, lists and maps)");
            reported.add(n);
            return;
        }
        if (n instanceof MappingNode map) {
            if (looksLikeTemplate(map)) {
                error(pos(n, m), "unquoted template: YAML reads {{ ... }} as a map; quote the value, for instance "
                        + "name: \"{{ incident.resource.name }}\"");
                reported.add(n);
                return;
            }
            onPath.put(n, Boolean.TRUE);
            // Keys by their first node; positions are worked out only for a duplicate.
            var seen = new HashMap<String, Node>();
            for (NodeTuple t : map.getValue()) {
                Node k = t.getKeyNode();
                if (k instanceof ScalarNode ks && standard(k.getTag())) {
                    Node first = seen.putIfAbsent(ks.getValue(), k);
                    if (first != null) {
                        error(pos(k, m), "duplicate key '" + ks.getValue() + "' (first at line " + pos(first, m).line()
                                + "); remove one of them");
                        reported.add(k);
                    }
                } else {
                    error(pos(k, m), k instanceof MappingNode km && looksLikeTemplate(km)
                            ? "unquoted template: YAML reads {{ ... }} as a map; quote the value, for instance "
                            + "name: \"{{ incident.resource.name }}\""
                            : "keys must be plain text, not a list, map or tagged value");
                    reported.add(k);
                    continue;
                }
                guard(t.getValueNode(), m, depth + 1, onPath);
            }
            onPath.remove(n);
        } else if (n instanceof SequenceNode seq) {
            onPath.put(n, Boolean.TRUE);
            for (Node item : seq.getValue()) {
                guard(item, m, depth + 1, onPath);
            }
            onPath.remove(n);
        }
    }

    boolean looksLikeTemplate(MappingNode map) {
        return map.getFlowStyle() == FlowStyle.FLOW && map.getValue().size() == 1
                && map.getValue().get(0).getKeyNode() instanceof MappingNode;
    }
}
