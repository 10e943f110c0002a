package dev.runbook.dsl.fluent;

/** A top-level branch with its {@code then} steps: {@code otherwise}, options, or what comes after it. */
public interface BranchStage extends BranchElse<BranchStage, BranchEndStage>, AfterStep {
}
