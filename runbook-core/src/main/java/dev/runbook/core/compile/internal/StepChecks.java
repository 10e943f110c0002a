package dev.runbook.core.compile.internal;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ParamConversions;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.compile.Problem;
import dev.runbook.core.internal.Suggestions;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Ids;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks of steps that compile nothing: the action exists, the literal parameters fit its schema, the timeout is
 * positive, and step names are valid and unique. Apart from the compiling of a runbook, which calls them, so that
 * each message can be found next to the rule it reports.
 */
public final class StepChecks {
    private StepChecks() {
    }

    /** Reports an action neither the registry nor chaining has, with a did-you-mean or a hint at a missing module. */
    public static void unknownAction(String action, String path, ActionRegistry registry, String runbookId,
                                     List<Problem> problems) {
        var known = new ArrayList<>(registry.names());
        known.add(ActionRegistry.CHAIN_ACTION);
        problems.add(new Problem(runbookId, path + ".action", "unknown action '" + action + "'"
                + Suggestions.didYouMean(action, known) + (Suggestions.closest(action, known).isEmpty()
                ? "; is the module that provides it (runbook-k8s, runbook-neo4j, runbook-docker) on the class path?" : "")));
    }

    /**
     * Checks the parameters of a step whose action is {@code known} against its schema: unknown names, literal values
     * that do not convert, required ones missing. Values holding a template are checked when they render.
     */
    public static void checkParams(ParamValue.MapValue params, ParamSchema schema, String path, boolean known,
                                   String runbookId, List<Problem> problems) {
        if (!known) {
            return;
        }
        for (var e : params.entries().entrySet()) {
            Optional<ParamSpec> spec = schema.param(e.getKey());
            if (spec.isEmpty()) {
                if (!schema.additionalAllowed()) {
                    problems.add(new Problem(runbookId, path + "." + e.getKey(), "unknown parameter '" + e.getKey()
                            + "'" + Suggestions.didYouMean(e.getKey(), schema.names())
                            + " (accepted: " + String.join(", ", schema.names()) + ")"));
                }
                continue;
            }
            if (!containsTemplate(e.getValue())) {
                Object plain = e.getValue().toPlain();
                if (plain != null) {
                    try {
                        ParamConversions.convert(spec.get(), plain);
                    } catch (IllegalArgumentException ex) {
                        problems.add(new Problem(runbookId, path + "." + e.getKey(), ex.getMessage()));
                    }
                }
            }
        }
        for (ParamSpec spec : schema.params()) {
            if (spec.required() && !params.entries().containsKey(spec.name())) {
                problems.add(new Problem(runbookId, path, "missing required parameter '" + spec.name() + "' ("
                        + spec.description() + ")"));
            }
        }
    }

    private static boolean containsTemplate(ParamValue v) {
        if (v instanceof ParamValue.Scalar s) {
            return s.value() instanceof String str && str.contains("{{");
        }
        if (v instanceof ParamValue.MapValue m) {
            return m.entries().values().stream().anyMatch(StepChecks::containsTemplate);
        }
        if (v instanceof ParamValue.ListValue l) {
            return l.items().stream().anyMatch(StepChecks::containsTemplate);
        }
        return false;
    }

    /** Reports a timeout that is not positive. */
    public static void checkTimeout(ActionStep a, String path, String runbookId, List<Problem> problems) {
        a.timeout().ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                problems.add(new Problem(runbookId, path + ".timeout", "timeout must be positive, got " + t));
            }
        });
    }

    /** Reports step names that are invalid or repeated in {@code steps}, branches included. */
    public static void checkStepNames(List<Step> steps, String base, String runbookId, List<Problem> problems) {
        if (steps.isEmpty()) {
            return;
        }
        if (steps.size() == 1 && steps.get(0) instanceof ActionStep only) {
            // one step cannot repeat a name: no map to fill (a library is mostly such runbooks)
            Ids.stepNameProblem(only.name()).ifPresent(m -> problems.add(new Problem(runbookId, base + "[0].name", m)));
            return;
        }
        var seen = new HashMap<String, String>();
        walkNames(steps, base, seen, runbookId, problems);
    }

    private static void walkNames(List<Step> steps, String base, Map<String, String> seen, String runbookId,
                                  List<Problem> problems) {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String path = base + "[" + i + "]";
            Optional<String> badName = Ids.stepNameProblem(s.name());
            if (badName.isPresent()) {
                problems.add(new Problem(runbookId, path + ".name", badName.get()));
            } else {
                String prev = seen.putIfAbsent(s.name(), path);
                if (prev != null) {
                    problems.add(new Problem(runbookId, path + ".name", "duplicate step name '" + s.name()
                            + "' (also at " + prev + ")"));
                }
            }
            if (s instanceof BranchStep b) {
                walkNames(b.then(), path + ".then", seen, runbookId, problems);
                walkNames(b.otherwise(), path + ".else", seen, runbookId, problems);
            }
        }
    }
}
