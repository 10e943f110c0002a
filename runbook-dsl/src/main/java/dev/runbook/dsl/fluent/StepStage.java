package dev.runbook.dsl.fluent;

/** A top-level step, before its action or branch is chosen. */
public interface StepStage extends StepStart<ActionStage, BranchStage> {
}
