package dev.runbook.core.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an action did.
 *
 * @param output  its value, stored in the step's {@code output_var} and checked by {@code expect}
 * @param touched resources changed (or that would be, in a dry run)
 * @param summary one line for the audit trail's {@code actions_taken}, for instance
 *                {@code increased memory 256Mi -> 512Mi}; empty for reads
 */
public record ActionResult(Optional<Object> output, List<TouchedResource> touched, String summary) {
    public ActionResult {
        Objects.requireNonNull(output, "output");
        touched = List.copyOf(touched);
        Objects.requireNonNull(summary, "summary");
    }

    /** No output, nothing touched. */
    public static ActionResult empty() {
        return new ActionResult(Optional.empty(), List.of(), "");
    }

    /** This output, nothing touched. */
    public static ActionResult of(Object output) {
        return new ActionResult(Optional.ofNullable(output), List.of(), "");
    }

    /** A copy that also touched this resource. */
    public ActionResult touching(TouchedResource resource) {
        var list = new ArrayList<>(touched);
        list.add(resource);
        return new ActionResult(output, list, summary);
    }

    /** A copy with this summary. */
    public ActionResult withSummary(String summary) {
        return new ActionResult(output, touched, summary);
    }
}
