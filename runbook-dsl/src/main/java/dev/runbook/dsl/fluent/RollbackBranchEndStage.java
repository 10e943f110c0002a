package dev.runbook.dsl.fluent;

/** A complete rollback branch: options, the next rollback step, or {@code build()}. */
public interface RollbackBranchEndStage extends BranchOptions<RollbackBranchEndStage>, AfterRollbackStep {
}
