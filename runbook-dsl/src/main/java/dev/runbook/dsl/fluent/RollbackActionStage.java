package dev.runbook.dsl.fluent;

/** A rollback action step: its options, the next rollback step, or {@code build()}. */
public interface RollbackActionStage extends ActionOptions<RollbackActionStage>, AfterRollbackStep {
}
