package dev.runbook.dsl.fluent;

/** A branch inside a branch, with its {@code then} steps: {@code otherwise}, options, or the next step. */
public interface NestedBranchStage extends BranchElse<NestedBranchStage, NestedBranchEndStage>, Steps {
}
