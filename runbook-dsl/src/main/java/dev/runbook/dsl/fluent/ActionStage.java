package dev.runbook.dsl.fluent;

/** A top-level action step: its options, or what comes after it. */
public interface ActionStage extends ActionOptions<ActionStage>, AfterStep {
}
