package dev.runbook.dsl.internal;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.dsl.Diagnostic;
import dev.runbook.dsl.internal.MarkdownScanner.Block;
import dev.runbook.dsl.internal.MarkdownScanner.Section;
import dev.runbook.dsl.internal.MarkdownScanner.StepHeading;
import dev.runbook.dsl.internal.MarkdownScanner.Structure;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Runbook files in Markdown (see the module README): YAML front matter holds the header, {@code ## Steps} and
 * {@code ## Rollback} hold one {@code ### Step name} heading per step with a {@code ```yaml} block of the step's
 * keys. The file is turned into the same node tree a YAML file composes to ({@code runbook: {header..., steps:
 * [...], rollback: [...]}}), every node marked with its line and column in the .md file, and read by
 * {@link RunbookNodeReader}: both formats share one definition of keys, types and checks.
 */
public final class MarkdownFormat implements RunbookFormat {
    private static final Set<String> SECTION_KEYS = Set.of("steps", "rollback");

    @Override
    public Set<String> extensions() {
        return Set.of("md", "markdown");
    }

    @Override
    public boolean looksLikeRunbook(String text) {
        return MarkdownScanner.startsWithFrontMatter(text);
    }

    @Override
    public List<RunbookNodeReader.Result> read(String text, String file, ActionRegistry registry, Limits limits) {
        String[] lines = text.split("\n", -1);
        var problems = new ArrayList<Diagnostic>();
        Structure s = new MarkdownScanner(lines, file, problems).scan();
        // One budget for the file: each block alone may stay under the bound while all of them together do not.
        var budget = new ExpansionBudget(limits.maxExpandedSize());
        var converter = new Converter(lines, file, limits.maxFileSize(), budget, problems);
        Optional<MappingNode> root = converter.root(s);
        if (root.isEmpty() || budget.exceeded()) {
            return List.of(new RunbookNodeReader.Result(Optional.empty(), problems, new PathPositions()));
        }
        RunbookNodeReader.Result r = new RunbookNodeReader(registry, limits.maxFileSize(), budget)
                .read(root.get(), text, file, PositionMapper.identity());
        problems.addAll(r.diagnostics());
        return List.of(new RunbookNodeReader.Result(r.runbook(), problems, r.positions()));
    }

    private static final class Converter {
        final String[] lines;
        final String file;
        final long maxSize;
        final ExpansionBudget budget;
        final List<Diagnostic> problems;

        Converter(String[] lines, String file, long maxSize, ExpansionBudget budget, List<Diagnostic> problems) {
            this.lines = lines;
            this.file = file;
            this.maxSize = maxSize;
            this.budget = budget;
            this.problems = problems;
        }

        void error(Node at, String message) {
            Mark m = at.getStartMark().orElseThrow();
            problems.add(new Diagnostic(file, m.getLine() + 1, m.getColumn() + 1, message));
        }

        Optional<MappingNode> root(Structure s) {
            if (s.frontMatter().isEmpty()) {
                // Without a header there is no runbook; still check every step block's YAML.
                s.steps().ifPresent(this::section);
                s.rollback().ifPresent(this::section);
                return Optional.empty();
            }
            var fm = s.frontMatter().get();
            Optional<Node> header = compose(fm.first(), fm.end(), "the front matter", 0);
            var body = new ArrayList<NodeTuple>();
            boolean named = false;
            if (header.isPresent()) {
                Node h = header.get();
                if (h instanceof MappingNode map && map.getValue().size() == 1
                        && map.getValue().get(0).getKeyNode() instanceof ScalarNode k && k.getValue().equals("runbook")) {
                    error(k, "the front matter holds the runbook's fields directly; remove the runbook: level "
                            + "and unindent its keys");
                    h = map.getValue().get(0).getValueNode();
                }
                if (h instanceof MappingNode map) {
                    for (NodeTuple t : map.getValue()) {
                        if (t.getKeyNode() instanceof ScalarNode k && SECTION_KEYS.contains(k.getValue())) {
                            error(k, k.getValue() + ": steps are not written in the front matter; write them under "
                                    + "## " + (k.getValue().equals("steps") ? "Steps" : "Rollback")
                                    + " as ### headings, each with a ```yaml block");
                            continue;
                        }
                        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name")) {
                            named = true;
                        }
                        body.add(t);
                    }
                } else {
                    error(h, "the front matter must be a map of the runbook's header fields (id:, name:, trigger:, "
                            + "safety:, ...)");
                }
            }
            if (!named && s.title().isPresent()) {
                var t = s.title().get();
                body.add(new NodeTuple(scalar("name", t.line(), t.column()), scalar(t.text(), t.line(), t.column())));
            }
            s.steps().ifPresent(sec -> body.add(new NodeTuple(scalar("steps", sec.line(), sec.column()),
                    sequence(section(sec), sec.line(), sec.column()))));
            s.rollback().ifPresent(sec -> body.add(new NodeTuple(scalar("rollback", sec.line(), sec.column()),
                    sequence(section(sec), sec.line(), sec.column()))));
            if (s.steps().isEmpty()) {
                // reported by the scanner with a Markdown hint; an empty list keeps the reader from repeating it
                body.add(new NodeTuple(scalar("steps", 0, 0), sequence(List.of(), 0, 0)));
            }
            Node runbook = new MappingNode(Tag.MAP, true, body, FlowStyle.BLOCK, mark(0, 0), mark(0, 0));
            return Optional.of(new MappingNode(Tag.MAP, true,
                    new ArrayList<>(List.of(new NodeTuple(scalar("runbook", 0, 0), runbook))), FlowStyle.BLOCK,
                    mark(0, 0), mark(0, 0)));
        }

        List<Node> section(Section sec) {
            var out = new ArrayList<Node>();
            for (StepHeading h : sec.steps()) {
                if (h.block().isEmpty()) {
                    continue;
                }
                Block b = h.block().get();
                Optional<Node> node = compose(b.first(), b.end(), "the yaml block of step '" + h.name() + "'",
                        b.fenceLine());
                if (node.isEmpty()) {
                    continue;
                }
                if (!(node.get() instanceof MappingNode map)) {
                    error(node.get(), "the yaml block of step '" + h.name() + "' must be a map of the step's keys "
                            + "(action:, params:, ... or if:, then:, else:)");
                    continue;
                }
                var tuples = new ArrayList<NodeTuple>();
                tuples.add(new NodeTuple(scalar("name", h.line(), h.column()),
                        scalar(h.name(), h.line(), h.nameColumn())));
                for (NodeTuple t : map.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name")) {
                        error(k, "step '" + h.name() + "': the step's name is its ### heading; remove name: from "
                                + "the yaml block");
                        continue;
                    }
                    tuples.add(t);
                }
                out.add(new MappingNode(Tag.MAP, true, tuples, FlowStyle.BLOCK, mark(h.line(), h.column()),
                        mark(h.line(), h.column())));
            }
            return out;
        }

        /** Composes lines {@code [first, end)} of the file; the nodes' marks are file positions. */
        Optional<Node> compose(int first, int end, String what, int emptyLine) {
            if (first >= end) {
                problems.add(new Diagnostic(file, emptyLine + 1, 1, what + " is empty"));
                return Optional.empty();
            }
            // every line ends with its line break, as in the file: a block scalar on the last line keeps its newline
            String text = String.join("\n", java.util.Arrays.asList(lines).subList(first, end)) + "\n";
            Optional<Node> node = YamlText.compose(text, file, maxSize, budget, PositionMapper.shifted(first, 0), what,
                    problems);
            return node.map(n -> shift(n, first, new IdentityHashMap<>()));
        }

        /** A copy of the tree with every mark moved down by {@code lines}; shared (aliased) nodes stay shared. */
        Node shift(Node n, int by, Map<Node, Node> done) {
            Node seen = done.get(n);
            if (seen != null) {
                return seen;
            }
            Optional<Mark> start = n.getStartMark().map(m -> moved(m, by));
            Optional<Mark> end = n.getEndMark().map(m -> moved(m, by));
            if (n instanceof MappingNode map) {
                var copy = new MappingNode(n.getTag(), true, new ArrayList<>(), map.getFlowStyle(), start, end);
                done.put(n, copy);
                var tuples = new ArrayList<NodeTuple>();
                for (NodeTuple t : map.getValue()) {
                    tuples.add(new NodeTuple(shift(t.getKeyNode(), by, done), shift(t.getValueNode(), by, done)));
                }
                copy.setValue(tuples);
                return copy;
            }
            if (n instanceof SequenceNode seq) {
                var items = new ArrayList<Node>();
                var copy = new SequenceNode(n.getTag(), true, items, seq.getFlowStyle(), start, end);
                done.put(n, copy);
                for (Node item : seq.getValue()) {
                    items.add(shift(item, by, done));
                }
                return copy;
            }
            ScalarNode s = (ScalarNode) n;
            var copy = new ScalarNode(n.getTag(), true, s.getValue(), s.getScalarStyle(), start, end);
            done.put(n, copy);
            return copy;
        }

        static Mark moved(Mark m, int by) {
            return new Mark(m.getName(), m.getIndex(), m.getLine() + by, m.getColumn(), m.getBuffer(), m.getPointer());
        }

        Optional<Mark> mark(int line0, int column0) {
            return Optional.of(new Mark(file, 0, line0, column0, new int[0], 0));
        }

        ScalarNode scalar(String value, int line0, int column0) {
            return new ScalarNode(Tag.STR, true, value, ScalarStyle.PLAIN, mark(line0, column0), mark(line0, column0));
        }

        SequenceNode sequence(List<Node> items, int line0, int column0) {
            return new SequenceNode(Tag.SEQ, true, new ArrayList<>(items), FlowStyle.BLOCK, mark(line0, column0),
                    mark(line0, column0));
        }
    }
}
