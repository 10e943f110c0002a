package dev.runbook.dsl.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ParamConversions;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.internal.Suggestions;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Ids;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Step;
import dev.runbook.core.model.Trigger;
import dev.runbook.dsl.Diagnostic;
import dev.runbook.dsl.internal.Defs.Field;
import dev.runbook.dsl.internal.Defs.Obj;
import dev.runbook.dsl.internal.Defs.Type;
import dev.runbook.dsl.internal.PositionMapper.Position;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads the composed YAML node tree of one {@code runbook:} document into a {@link Runbook}, strictly, collecting
 * every structural problem, and records where each field was written ({@link PathPositions}). Reusable by any
 * format that carries YAML: the Markdown reader passes the text of its YAML block and a {@link PositionMapper}
 * shifted to where the block sits in the file.
 *
 * <p>Document parameters: a string parameter of an action step whose text parses to a YAML (or JSON) map or list is
 * stored as that tree when the action declares the parameter as MAP, LIST or ANY, or the key is {@code patch},
 * {@code manifest} or {@code body}. Templates stay string leaves, so values rendered at run time never add structure.
 *
 * <p>Expect lifting: {@code params.expect} becomes the step's {@code expect} unless the action declares a parameter
 * named {@code expect} (the seed writes check_neo4j's expectation inside its params).
 */
public final class RunbookNodeReader {
    /** Keys whose string value is always a document when it parses to a map or list. */
    public static final Set<String> DOCUMENT_KEYS = Set.of("patch", "manifest", "body");
    /** Nodes visited in one document, aliases expanded: a defence against alias bombs. */
    static final int NODE_BUDGET = 100_000;
    static final int MAX_DEPTH = 64;

    private static final Set<Tag> STANDARD_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ);

    /** Whether a tag is plain YAML; the resolver hands out the constants, so identity decides almost every node. */
    private static boolean standard(Tag t) {
        return t == Tag.STR || t == Tag.MAP || t == Tag.SEQ || STANDARD_TAGS.contains(t);
    }

    private final ActionRegistry registry;
    private final long maxSize;
    private final ExpansionBudget expansion;

    /**
     * A reader that resolves actions (for document params and expect lifting) in this registry and counts the
     * documents inside block scalars against the file's {@code budget}.
     */
    public RunbookNodeReader(ActionRegistry registry, long maxSize, ExpansionBudget budget) {
        this.registry = registry;
        this.maxSize = maxSize;
        this.expansion = budget;
    }

    /**
     * What reading one document gave.
     *
     * @param runbook     the model, when the document had at least an id
     * @param diagnostics the structural problems
     * @param positions   where each field was written
     */
    public record Result(Optional<Runbook> runbook, List<Diagnostic> diagnostics, PathPositions positions) {
    }

    /**
     * Reads a document.
     *
     * @param root   the document's root node (a map with the key {@code runbook})
     * @param source the text that was composed (to locate lines inside block scalars)
     * @param file   the file name for diagnostics
     * @param mapper turns the nodes' marks into file positions
     */
    public Result read(Node root, String source, String file, PositionMapper mapper) {
        var run = new Run(source, file, mapper);
        Optional<Runbook> rb = Optional.empty();
        try {
            run.guard(root, mapper, 0, new IdentityHashMap<>());
            rb = run.readRoot(root);
        } catch (Fatal f) {
            // already reported: the document is hostile or broken beyond reading
        }
        return new Result(rb, List.copyOf(run.diagnostics), run.positions);
    }

    /**
     * A float as the YAML 1.2 JSON schema resolves it: {@code .inf}, {@code -.inf} and {@code .nan} too, which Java's
     * parser does not know (a range check then refuses them where a range applies).
     */
    static double floatOf(String text) {
        return switch (text) {
            case ".inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static final class Fatal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fatal() {
            super(null, null, false, false);
        }
    }

    private record StepData(Obj def, Map<String, Object> values, Node node, String path) {
    }

    private final class Run {
        final String source;
        /** The source's lines, split only when a block scalar holds a document (most files have none). */
        String[] lines;
        final String file;
        final PositionMapper mapper;
        final List<Diagnostic> diagnostics = new ArrayList<>();
        final PathPositions positions = new PathPositions();
        final Set<Node> reported = Collections.newSetFromMap(new IdentityHashMap<>());
        int budget = NODE_BUDGET;

        Run(String source, String file, PositionMapper mapper) {
            this.source = source;
            this.file = file;
            this.mapper = mapper;
        }

        Position pos(Node n, PositionMapper m) {
            return PathPositions.of(n, m);
        }

        void error(Position p, String message) {
            diagnostics.add(new Diagnostic(file, p.line(), p.column(), message));
        }

        String show(String path) {
            return path.isEmpty() ? "runbook" : path;
        }

        // ---- hostile-structure guard, run once over a document before reading it ----

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

        // ---- generic reading driven by the definitions ----

        Optional<Runbook> readRoot(Node root) {
            Position start = pos(root, mapper);
            if (!(root instanceof MappingNode map)) {
                error(start, "a runbook file must be a map with the key 'runbook:' at the top, got " + describe(root));
                return Optional.empty();
            }
            Node body = null;
            for (NodeTuple t : map.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k) || reported.contains(k)) {
                    continue;
                }
                if (k.getValue().equals("runbook")) {
                    body = t.getValueNode();
                    positions.origin(pos(k, mapper));
                } else {
                    error(pos(k, mapper), "unknown top-level key '" + k.getValue() + "'"
                            + Suggestions.didYouMean(k.getValue(), List.of("runbook"))
                            + "; a runbook file has one top-level key, runbook:");
                }
            }
            if (body == null) {
                error(start, "missing the top-level key 'runbook:'; put the runbook's fields under it");
                return Optional.empty();
            }
            @SuppressWarnings("unchecked")
            var values = (Map<String, Object>) read(body, Defs.RUNBOOK, "");
            if (values == null || !(values.get("id") instanceof String)) {
                return Optional.empty();
            }
            return build(values);
        }

        Object read(Node n, Type t, String path) {
            if (reported.contains(n)) {
                return null;
            }
            if (t instanceof Defs.Either e) {
                return read(n, n instanceof ScalarNode && n.getTag() != Tag.NULL ? e.scalar() : e.collection(), path);
            }
            if (t instanceof Defs.Obj o) {
                return readObject(n, o, path);
            }
            if (t instanceof Defs.ListOf l) {
                if (!(n instanceof SequenceNode seq)) {
                    return wrong(n, path, "a list");
                }
                var out = new ArrayList<Object>();
                for (int i = 0; i < seq.getValue().size(); i++) {
                    Node item = seq.getValue().get(i);
                    String p = path + "[" + i + "]";
                    positions.put(p, null, item, mapper);
                    Object v = read(item, l.item(), p);
                    if (v != null) {
                        out.add(v);
                    }
                }
                return out;
            }
            if (t instanceof Defs.MapOf mo) {
                if (!(n instanceof MappingNode map)) {
                    return wrong(n, path, "a map");
                }
                var out = new LinkedHashMap<String, Object>();
                for (NodeTuple tu : map.getValue()) {
                    if (!(tu.getKeyNode() instanceof ScalarNode k) || reported.contains(k)) {
                        continue;
                    }
                    String p = path + "." + k.getValue();
                    positions.put(p, k, tu.getValueNode(), mapper);
                    Object v = read(tu.getValueNode(), mo.value(), p);
                    if (v != null) {
                        out.put(k.getValue(), v);
                    }
                }
                return out;
            }
            if (t instanceof Defs.Params) {
                if (n instanceof ScalarNode s && s.getTag() == Tag.NULL) {
                    return null;
                }
                return n instanceof MappingNode ? n : wrong(n, path, "a map of parameters");
            }
            if (t instanceof Defs.StepRef) {
                if (!(n instanceof MappingNode map)) {
                    return wrong(n, path, "a step (a map with name and action, or name and if)");
                }
                boolean branch = map.getValue().stream()
                        .anyMatch(tu -> tu.getKeyNode() instanceof ScalarNode k && k.getValue().equals("if"));
                Obj def = branch ? Defs.BRANCH_STEP : Defs.ACTION_STEP;
                @SuppressWarnings("unchecked")
                var values = (Map<String, Object>) readObject(n, def, path);
                return values == null ? null : new StepData(def, values, n, path);
            }
            if (t instanceof Defs.Any) {
                return toValue(n, path, mapper);
            }
            return readScalar(n, t, path);
        }

        Object readObject(Node n, Obj o, String path) {
            if (!(n instanceof MappingNode map)) {
                return wrong(n, path, o.description() + " (a map with the keys " + String.join(", ", o.names()) + ")");
            }
            var out = new LinkedHashMap<String, Object>();
            var present = new java.util.HashSet<String>();
            for (NodeTuple tu : map.getValue()) {
                if (!(tu.getKeyNode() instanceof ScalarNode k) || reported.contains(k)) {
                    continue;
                }
                String key = k.getValue();
                String p = path.isEmpty() ? key : path + "." + key;
                Optional<Field> f = o.field(key);
                if (f.isEmpty()) {
                    error(pos(k, mapper), show(p) + ": unknown key '" + key + "' in " + show(path)
                            + Suggestions.didYouMean(key, o.names()) + " (allowed: " + String.join(", ", o.names()) + ")");
                    continue;
                }
                present.add(key);
                Node v = tu.getValueNode();
                positions.put(p, k, v, mapper);
                Object value = read(v, f.get().type(), p);
                if (value != null) {
                    out.put(key, value);
                }
            }
            for (Field f : o.fields()) {
                if (f.required() && !present.contains(f.name())) {
                    Position at = path.isEmpty() ? positions.locate("") : positions.key(path).orElse(pos(n, mapper));
                    error(at, show(path) + ": missing required key '" + f.name() + "' (" + f.description() + ")");
                }
            }
            return out;
        }

        Object readScalar(Node n, Type t, String path) {
            if (!(n instanceof ScalarNode s)) {
                return wrong(n, path, expected(t));
            }
            Tag tag = s.getTag();
            String text = s.getValue();
            Position at = pos(n, mapper);
            if (t instanceof Defs.Str str) {
                if (tag == Tag.STR || (str.acceptNumbers() && (tag == Tag.INT || tag == Tag.FLOAT))) {
                    return text;
                }
                return wrong(n, path, expected(t));
            }
            if (t instanceof Defs.Bool) {
                return tag == Tag.BOOL ? Boolean.valueOf(text) : wrong(n, path, expected(t));
            }
            if (t instanceof Defs.Int i) {
                if (tag != Tag.INT) {
                    return wrong(n, path, expected(t));
                }
                BigDecimal v = new BigDecimal(text);
                if (v.compareTo(BigDecimal.valueOf(i.min())) < 0 || v.compareTo(BigDecimal.valueOf(i.max())) > 0) {
                    error(at, show(path) + ": " + text + " is out of range; " + range(i));
                    return null;
                }
                return v.longValue();
            }
            if (t instanceof Defs.Num num) {
                if (tag != Tag.INT && tag != Tag.FLOAT) {
                    return wrong(n, path, expected(t));
                }
                double v = floatOf(text);
                if (!(v >= num.min() && v <= num.max())) {
                    error(at, show(path) + ": " + text + " is out of range; it must be between " + fmt(num.min())
                            + " and " + fmt(num.max()));
                    return null;
                }
                return v;
            }
            if (t instanceof Defs.Dur d) {
                Duration v;
                try {
                    if (tag == Tag.INT || tag == Tag.FLOAT) {
                        v = ParamConversions.toDuration(Double.parseDouble(text));
                    } else if (tag == Tag.STR) {
                        v = ParamConversions.toDuration(text);
                    } else {
                        return wrong(n, path, expected(t));
                    }
                } catch (IllegalArgumentException | ArithmeticException e) {
                    return wrong(n, path, expected(t));
                }
                if (v.isNegative() || (d.positive() && v.isZero())) {
                    error(at, show(path) + ": " + text + " is out of range; the duration must be "
                            + (d.positive() ? "positive" : "zero or more"));
                    return null;
                }
                return v;
            }
            if (t instanceof Defs.Enum e) {
                if (tag == Tag.STR && e.values().contains(text)) {
                    return text;
                }
                error(at, show(path) + ": '" + text + "' is not allowed; use one of " + String.join(", ", e.values())
                        + Suggestions.didYouMean(text, e.values()));
                return null;
            }
            throw new IllegalStateException("unhandled type " + t);
        }

        Object wrong(Node n, String path, String expected) {
            error(pos(n, mapper), show(path) + ": expected " + expected + ", got " + describe(n));
            return null;
        }

        String expected(Type t) {
            if (t instanceof Defs.Str) {
                return "text";
            }
            if (t instanceof Defs.Bool) {
                return "true or false";
            }
            if (t instanceof Defs.Int i) {
                return "a whole number (" + range(i) + ")";
            }
            if (t instanceof Defs.Num num) {
                return "a number between " + fmt(num.min()) + " and " + fmt(num.max());
            }
            if (t instanceof Defs.Dur) {
                return "a duration (seconds, or 250ms, 30s, 5m, 1h, PT5M)";
            }
            return "a value";
        }

        String range(Defs.Int i) {
            return i.max() >= Integer.MAX_VALUE ? "it must be at least " + i.min()
                    : "it must be between " + i.min() + " and " + i.max();
        }

        String fmt(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }

        String describe(Node n) {
            if (n instanceof MappingNode) {
                return "a map";
            }
            if (n instanceof SequenceNode) {
                return "a list";
            }
            ScalarNode s = (ScalarNode) n;
            if (s.getTag() == Tag.NULL) {
                return "nothing (an empty value)";
            }
            String v = Ids.quote(s.getValue().length() > 60 ? s.getValue().substring(0, 57) + "..." : s.getValue());
            String kind = s.getTag() == Tag.STR ? "text" : s.getTag() == Tag.BOOL ? "a boolean"
                    : s.getTag() == Tag.NULL ? "null" : "a number";
            return kind + " " + v;
        }

        ParamValue toValue(Node n, String path, PositionMapper m) {
            if (reported.contains(n)) {
                return ParamValue.Null.INSTANCE;
            }
            if (n instanceof MappingNode map) {
                var out = new LinkedHashMap<String, ParamValue>();
                for (NodeTuple tu : map.getValue()) {
                    if (!(tu.getKeyNode() instanceof ScalarNode k) || reported.contains(k)) {
                        continue;
                    }
                    String p = path + "." + k.getValue();
                    positions.put(p, k, tu.getValueNode(), m);
                    out.put(k.getValue(), toValue(tu.getValueNode(), p, m));
                }
                return new ParamValue.MapValue(out);
            }
            if (n instanceof SequenceNode seq) {
                var out = new ArrayList<ParamValue>();
                for (int i = 0; i < seq.getValue().size(); i++) {
                    Node item = seq.getValue().get(i);
                    String p = path + "[" + i + "]";
                    positions.put(p, null, item, m);
                    out.add(toValue(item, p, m));
                }
                return new ParamValue.ListValue(out);
            }
            ScalarNode s = (ScalarNode) n;
            Tag tag = s.getTag();
            if (tag == Tag.NULL) {
                return ParamValue.Null.INSTANCE;
            }
            if (tag == Tag.BOOL) {
                return new ParamValue.Scalar(Boolean.valueOf(s.getValue()));
            }
            if (tag == Tag.INT) {
                try {
                    return new ParamValue.Scalar(Long.parseLong(s.getValue()));
                } catch (NumberFormatException e) {
                    return new ParamValue.Scalar(floatOf(s.getValue()));
                }
            }
            if (tag == Tag.FLOAT) {
                return new ParamValue.Scalar(floatOf(s.getValue()));
            }
            return new ParamValue.Scalar(s.getValue());
        }

        // ---- from the read values to the model ----

        Optional<Runbook> build(Map<String, Object> v) {
            String id = (String) v.get("id");
            if (id.isBlank()) {
                error(positions.locate("id"), "id: must not be empty; give the runbook a unique id such as oomkilled-increase-memory-v1");
                return Optional.empty();
            }
            // Checked here as well as by the compiler, so a load without validation reports them too.
            Ids.runbookIdProblem(id).ifPresent(m -> error(positions.locate("id"), "id: " + m));
            var b = Runbook.builder(id);
            str(v, "name").ifPresent(b::name);
            str(v, "version").ifPresent(b::version);
            str(v, "author").ifPresent(b::author);
            str(v, "description").ifPresent(b::description);
            if (v.get("labels") instanceof Map<?, ?> labels) {
                b.labels(strings(labels));
            }
            if (v.get("enabled") instanceof Boolean e) {
                b.enabled(e);
            }
            if (v.get("trigger") instanceof Map<?, ?> t) {
                trigger(t).ifPresent(b::trigger);
            }
            if (v.get("safety") instanceof Map<?, ?> s) {
                safety(s).ifPresent(b::safety);
            }
            if (v.get("parameters") instanceof List<?> ps) {
                for (int i = 0; i < ps.size(); i++) {
                    parameter((Map<?, ?>) ps.get(i), "parameters[" + i + "]").ifPresent(b::parameter);
                }
            }
            if (v.get("steps") instanceof List<?> steps) {
                b.steps(steps(steps));
            }
            if (v.get("rollback") instanceof List<?> rb) {
                steps(rb).forEach(b::rollbackStep);
            }
            if (v.get("notification") instanceof Map<?, ?> n) {
                b.notifications(new Notifications(notifications(n.get("on_success"), "notification.on_success"),
                        notifications(n.get("on_failure"), "notification.on_failure")));
            }
            try {
                return Optional.of(b.build());
            } catch (IllegalArgumentException | NullPointerException e) {
                error(positions.locate(""), "runbook: " + e.getMessage());
                return Optional.empty();
            }
        }

        Optional<String> str(Map<?, ?> v, String key) {
            return v.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
        }

        Map<String, String> strings(Map<?, ?> m) {
            var out = new LinkedHashMap<String, String>();
            m.forEach((k, x) -> out.put((String) k, (String) x));
            return out;
        }

        List<String> stringList(Object o) {
            if (o instanceof String s) {
                return List.of(s);
            }
            var out = new ArrayList<String>();
            if (o instanceof List<?> l) {
                l.forEach(x -> out.add((String) x));
            }
            return out;
        }

        Optional<Trigger> trigger(Map<?, ?> t) {
            var b = Trigger.builder();
            b.rootCauseReasons(stringList(t.get("root_cause_reason")));
            b.symptomReasons(stringList(t.get("symptom_reason")));
            if (t.get("min_confidence") instanceof Double d) {
                b.minConfidence(d);
            }
            b.resourceKinds(stringList(t.get("affected_resource_kinds")));
            b.namespaces(stringList(t.get("namespaces")));
            b.clusters(stringList(t.get("clusters")));
            if (t.get("labels") instanceof Map<?, ?> l) {
                b.labels(strings(l));
            }
            str(t, "when").ifPresent(b::when);
            return attempt(() -> b.build(), "trigger");
        }

        Optional<Safety> safety(Map<?, ?> s) {
            var b = Safety.builder();
            if (s.get("require_approval") instanceof Boolean x) {
                b.requireApproval(x);
            }
            if (s.get("dry_run_first") instanceof Boolean x) {
                b.dryRunFirst(x);
            }
            if (s.get("resume_on_recovery") instanceof Boolean x) {
                b.resumeOnRecovery(x);
            }
            intOf(s, "max_executions_per_hour").ifPresent(b::maxExecutionsPerHour);
            intOf(s, "blast_radius_limit").ifPresent(b::blastRadiusLimit);
            intOf(s, "max_executions_per_resource_per_hour").ifPresent(b::maxExecutionsPerResourcePerHour);
            intOf(s, "max_actions_per_hour").ifPresent(b::maxActionsPerHour);
            if (s.get("min_confidence") instanceof Double d) {
                b.minConfidence(d);
            }
            if (s.get("cooldown") instanceof Duration d) {
                b.cooldown(d);
            }
            if (s.get("min_action_spacing") instanceof Duration d) {
                b.minActionSpacing(d);
            }
            if (s.get("max_action_per_resource_per_hour") instanceof Map<?, ?> m) {
                var limits = new LinkedHashMap<String, Integer>();
                m.forEach((k, x) -> limits.put((String) k, ((Long) x).intValue()));
                b.maxActionPerResourcePerHour(limits);
            }
            b.allowedNamespaces(stringList(s.get("allowed_namespaces")));
            b.envWhitelist(stringList(s.get("env_whitelist")));
            if (s.get("replicas") instanceof Map<?, ?> r && r.get("min") instanceof Long min && r.get("max") instanceof Long max) {
                if (min > max) {
                    error(positions.locate("safety.replicas.min"), "safety.replicas: min " + min
                            + " is larger than max " + max + "; swap them");
                } else {
                    b.replicas(min.intValue(), max.intValue());
                }
            }
            if (s.get("pause_after") instanceof Map<?, ?> p && p.get("failures") instanceof Long failures
                    && p.get("within") instanceof Duration within) {
                // the format's ranges already hold (failures >= 1, within > 0); the model checks them again
                attempt(() -> b.pauseAfter(failures.intValue(), within), "safety.pause_after");
            }
            return attempt(() -> b.build(), "safety");
        }

        Optional<Integer> intOf(Map<?, ?> m, String key) {
            return m.get(key) instanceof Long l ? Optional.of(l.intValue()) : Optional.empty();
        }

        <T> Optional<T> attempt(java.util.function.Supplier<T> s, String path) {
            try {
                return Optional.of(s.get());
            } catch (IllegalArgumentException e) {
                error(positions.locate(path), path + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        Optional<Parameter> parameter(Map<?, ?> p, String path) {
            if (!(p.get("name") instanceof String name)) {
                return Optional.empty();
            }
            Ids.variableNameProblem("parameter", name)
                    .ifPresent(m -> error(positions.locate(path + ".name"), path + ".name: " + m));
            Optional<ParamValue> def = Optional.ofNullable((ParamValue) p.get("default"));
            boolean secret = p.get("secret") instanceof Boolean b && b;
            boolean required = p.get("required") instanceof Boolean b ? b : Parameter.requiredByDefault(def);
            return Optional.of(new Parameter(name, str(p, "description").orElse(""), def, secret, required));
        }

        List<Step> steps(List<?> items) {
            var out = new ArrayList<Step>();
            for (Object o : items) {
                step((StepData) o).ifPresent(out::add);
            }
            return out;
        }

        Optional<Step> step(StepData d) {
            Map<String, Object> v = d.values();
            String path = d.path();
            if (!(v.get("name") instanceof String name)) {
                return Optional.empty();
            }
            Ids.stepNameProblem(name).ifPresent(m -> error(positions.locate(path + ".name"), path + ".name: " + m));
            str(v, "output_var").flatMap(o -> Ids.variableNameProblem("output_var", o))
                    .ifPresent(m -> error(positions.locate(path + ".output_var"), path + ".output_var: " + m));
            OnFailure onFailure = str(v, "on_failure").map(s -> OnFailure.valueOf(s.toUpperCase(Locale.ROOT)))
                    .orElse(OnFailure.DEFAULT);
            Optional<String> when = str(v, "when");
            if (d.def() == Defs.BRANCH_STEP) {
                if (!(v.get("if") instanceof String cond)) {
                    return Optional.empty();
                }
                List<Step> then = v.get("then") instanceof List<?> l ? steps(l) : List.of();
                List<Step> otherwise = v.get("else") instanceof List<?> l ? steps(l) : List.of();
                return Optional.of(new BranchStep(name, cond, then, otherwise, when, onFailure));
            }
            if (!(v.get("action") instanceof String action)) {
                return Optional.empty();
            }
            Optional<Action> known = registry.find(action);
            ParamValue.MapValue params = v.get("params") instanceof MappingNode pn
                    ? stepParams(pn, path + ".params", known) : ParamValue.MapValue.empty();
            Optional<String> expect = str(v, "expect");
            boolean declaresExpect = known.map(a -> a.schema().param("expect").isPresent()).orElse(false);
            if (!declaresExpect && params.entries().containsKey("expect")) {
                ParamValue lifted = params.entries().get("expect");
                String at = path + ".params.expect";
                var rest = new LinkedHashMap<>(params.entries());
                rest.remove("expect");
                params = new ParamValue.MapValue(rest);
                if (expect.isPresent()) {
                    error(positions.locate(at), at + ": the step also has expect:; keep one of them");
                } else if (lifted instanceof ParamValue.Scalar s && s.value() instanceof String text) {
                    expect = Optional.of(text);
                    positions.key(at).ifPresent(k -> positions.put(path + ".expect", k, positions.locate(at), false));
                } else {
                    error(positions.locate(at), at + ": expected a condition as text, for instance \"new_failures == 0\"");
                }
            }
            // The meanings of omitted retry keys live in RetryPolicy, shared with the Java DSL.
            RetryPolicy retry = RetryPolicy.none();
            Object r = v.get("retry");
            if (r instanceof Long attempts) {
                retry = RetryPolicy.attempts(attempts.intValue());
            } else if (r instanceof Map<?, ?> rm && rm.get("attempts") instanceof Long attempts) {
                retry = RetryPolicy.of(attempts.intValue(),
                        rm.get("backoff") instanceof Duration x ? x : RetryPolicy.DEFAULT_BACKOFF);
                if (rm.get("multiplier") instanceof Double x) {
                    retry = retry.withMultiplier(x);
                }
                if (rm.get("max_backoff") instanceof Duration x) {
                    retry = retry.withMaxBackoff(x);
                }
            }
            return Optional.of(new ActionStep(name, action, params, str(v, "output_var"), when, retry,
                    Optional.ofNullable((Duration) v.get("timeout")), expect, onFailure,
                    Boolean.TRUE.equals(v.get("idempotent"))));
        }

        List<Notification> notifications(Object channels, String path) {
            var out = new ArrayList<Notification>();
            if (channels instanceof Map<?, ?> m) {
                m.forEach((k, x) -> {
                    String p = path + "." + k;
                    var params = x instanceof MappingNode node ? (ParamValue.MapValue) toValue(node, p, mapper)
                            : ParamValue.MapValue.empty();
                    out.add(new Notification((String) k, params));
                });
            }
            return out;
        }

        ParamValue.MapValue stepParams(MappingNode node, String path, Optional<Action> action) {
            var out = new LinkedHashMap<String, ParamValue>();
            for (NodeTuple tu : node.getValue()) {
                if (!(tu.getKeyNode() instanceof ScalarNode k) || reported.contains(k)) {
                    continue;
                }
                String key = k.getValue();
                String p = path + "." + key;
                Node value = tu.getValueNode();
                positions.put(p, k, value, mapper);
                Optional<ParamType> type = action.flatMap(a -> a.schema().param(key)).map(ParamSpec::type);
                boolean documentExpected = DOCUMENT_KEYS.contains(key)
                        || type.filter(x -> x == ParamType.MAP || x == ParamType.LIST).isPresent();
                boolean documentAllowed = documentExpected || type.filter(x -> x == ParamType.ANY).isPresent();
                if (documentAllowed && value instanceof ScalarNode s && s.getTag() == Tag.STR && !reported.contains(s)) {
                    out.put(key, document(s, p, documentExpected));
                } else {
                    out.put(key, toValue(value, p, mapper));
                }
            }
            return new ParamValue.MapValue(out);
        }

        /** The text of a block scalar (or quoted string) parsed as a YAML/JSON document, when it is one. */
        ParamValue document(ScalarNode s, String path, boolean expected) {
            String text = s.getValue();
            ParamValue asText = new ParamValue.Scalar(text);
            if (text.isBlank()) {
                return asText;
            }
            PositionMapper inner = innerMapper(s);
            var problems = new ArrayList<Diagnostic>();
            Optional<Node> doc = YamlText.compose(text, file, maxSize, expansion, inner, path, problems);
            if (expansion.exceeded()) {
                diagnostics.addAll(problems);
                throw new Fatal();
            }
            if (doc.isEmpty()) {
                if (expected) {
                    diagnostics.addAll(problems);
                }
                return asText;
            }
            Node root = doc.get();
            if (!(root instanceof MappingNode) && !(root instanceof SequenceNode)) {
                return asText;
            }
            int before = diagnostics.size();
            try {
                guard(root, inner, 0, new IdentityHashMap<>());
            } catch (Fatal f) {
                return asText;
            }
            if (diagnostics.size() > before && !expected) {
                // Not clearly a document and not clean YAML: keep it as text and forget what the guard said.
                diagnostics.subList(before, diagnostics.size()).clear();
                return asText;
            }
            return toValue(root, path, inner);
        }

        PositionMapper innerMapper(ScalarNode s) {
            int line0 = s.getStartMark().map(k -> k.getLine()).orElse(0);
            int col0 = s.getStartMark().map(k -> k.getColumn()).orElse(0);
            ScalarStyle style = s.getScalarStyle();
            if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
                if (lines == null) {
                    lines = source.split("\n", -1);
                }
                int first = line0 + 1;
                while (first < lines.length && lines[first].isBlank()) {
                    first++;
                }
                int indent = first < lines.length ? lines[first].length() - lines[first].stripLeading().length() : 0;
                return mapper.nested(line0 + 1, indent);
            }
            boolean quoted = style == ScalarStyle.DOUBLE_QUOTED || style == ScalarStyle.SINGLE_QUOTED;
            return mapper.inline(line0, col0 + (quoted ? 1 : 0));
        }
    }
}
