package dev.runbook.dsl.fluent;

/** A rollback branch with its {@code then} steps: {@code otherwise}, options, the next rollback step, or {@code build()}. */
public interface RollbackBranchStage extends BranchElse<RollbackBranchStage, RollbackBranchEndStage>, AfterRollbackStep {
}
