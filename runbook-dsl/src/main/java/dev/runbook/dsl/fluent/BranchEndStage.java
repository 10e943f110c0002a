package dev.runbook.dsl.fluent;

/** A complete top-level branch: options, or what comes after it. */
public interface BranchEndStage extends BranchOptions<BranchEndStage>, AfterStep {
}
