package dev.runbook.dsl.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Ids;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Step;
import dev.runbook.dsl.Diagnostic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Steps of {@link RunbookNodeReader}: action and branch steps with their retry and expect lifting, step params
 * (string params that are documents, see {@link RunbookNodeReader}) and notification channels.
 */
abstract class StepReading extends ValueReading {
    private final ActionRegistry registry;
    private final long maxSize;
    private final ExpansionBudget expansion;

    StepReading(String source, String file, PositionMapper mapper, ActionRegistry registry, long maxSize,
            ExpansionBudget expansion) {
        super(source, file, mapper);
        this.registry = registry;
        this.maxSize = maxSize;
        this.expansion = expansion;
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
            boolean documentExpected = RunbookNodeReader.DOCUMENT_KEYS.contains(key)
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
        int budgetBefore = budget;
        boolean refused = false;
        try {
            guard(root, inner, 0, new IdentityHashMap<>());
        } catch (Fatal f) {
            refused = true; // nested too deep, too many values, a recursive alias: never read as a document
        }
        if (diagnostics.size() > before && !expected) {
            // Not clearly a document and not clean YAML: keep it as text and forget what the guard said, and what it
            // spent of the file's node budget, which a text value does not use.
            diagnostics.subList(before, diagnostics.size()).clear();
            budget = budgetBefore;
            return asText;
        }
        if (refused) {
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
