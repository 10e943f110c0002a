package dev.runbook.dsl.fluent;

/** A rollback step, before its action or branch is chosen. */
public interface RollbackStage extends StepStart<RollbackActionStage, RollbackBranchStage> {
}
