package dev.runbook.dsl.fluent;

/** A complete branch inside a branch: options, or the next step. */
public interface NestedBranchEndStage extends BranchOptions<NestedBranchEndStage>, Steps {
}
