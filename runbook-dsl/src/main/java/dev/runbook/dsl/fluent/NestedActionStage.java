package dev.runbook.dsl.fluent;

/** An action step inside a branch: its options, or the next step of the same branch. */
public interface NestedActionStage extends ActionOptions<NestedActionStage>, Steps {
}
