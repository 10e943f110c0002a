package dev.runbook.dsl.fluent;

/** A step inside a branch, before its action or branch is chosen. */
public interface NestedStepStage extends StepStart<NestedActionStage, NestedBranchStage> {
}
