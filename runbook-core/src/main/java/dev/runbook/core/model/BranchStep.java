package dev.runbook.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An if/then/else node: runs {@code then} when {@code condition} holds, {@code otherwise} when it does not.
 *
 * @param name      unique name within the runbook
 * @param condition expression over the variables
 * @param then      steps run when the condition holds
 * @param otherwise steps run when it does not (may be empty)
 * @param when      condition under which the branch is evaluated at all
 * @param onFailure what a failure inside the branch does (steps inside carry their own too)
 */
public record BranchStep(
        String name,
        String condition,
        List<Step> then,
        List<Step> otherwise,
        Optional<String> when,
        OnFailure onFailure) implements Step {

    public BranchStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        then = List.copyOf(then);
        otherwise = List.copyOf(otherwise);
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(onFailure, "onFailure");
    }

    /** A branch without a {@code when} guard whose failures roll back. */
    public static BranchStep of(String name, String condition, List<Step> then, List<Step> otherwise) {
        return new BranchStep(name, condition, then, otherwise, Optional.empty(), OnFailure.DEFAULT);
    }
}
