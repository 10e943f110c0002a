package dev.runbook.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The steps of a runbook as an ordered graph: a sequence whose branch nodes hold sub-sequences.
 * Every front end (YAML, Markdown, Java DSL) produces one of these, and equal runbooks give
 * {@code equals} graphs.
 *
 * @param steps the top-level sequence
 */
public record StepGraph(List<Step> steps) {

    public StepGraph {
        steps = List.copyOf(steps);
    }

    /** The empty graph. */
    public static StepGraph empty() {
        return new StepGraph(List.of());
    }

    /** All steps, depth first in execution order (a branch before its {@code then}, then {@code otherwise}). */
    public List<Step> flatten() {
        var out = new ArrayList<Step>();
        flattenInto(steps, out);
        return Collections.unmodifiableList(out);
    }

    /** All action steps, depth first. */
    public List<ActionStep> actionSteps() {
        return flatten().stream().filter(ActionStep.class::isInstance).map(ActionStep.class::cast).toList();
    }

    /** The step with this name, at any depth. */
    public Optional<Step> find(String name) {
        return flatten().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Flattens any list of steps, depth first. */
    public static List<Step> flatten(List<Step> steps) {
        var out = new ArrayList<Step>();
        flattenInto(steps, out);
        return Collections.unmodifiableList(out);
    }

    private static void flattenInto(List<Step> steps, List<Step> out) {
        for (Step s : steps) {
            out.add(s);
            if (s instanceof BranchStep b) {
                flattenInto(b.then(), out);
                flattenInto(b.otherwise(), out);
            }
        }
    }
}
