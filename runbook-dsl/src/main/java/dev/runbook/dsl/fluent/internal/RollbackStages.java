package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.fluent.AfterRollbackStep;
import dev.runbook.dsl.fluent.RollbackActionStage;
import dev.runbook.dsl.fluent.RollbackBranchEndStage;
import dev.runbook.dsl.fluent.RollbackBranchStage;
import dev.runbook.dsl.fluent.RollbackStage;

/** The stages of rollback steps. */
final class RollbackStages {
    private RollbackStages() {
    }

    /** What follows any complete rollback step. */
    interface Flow extends AfterRollbackStep {
        RunbookDraft runbook();

        @Override
        default RollbackStage rollback(String name) {
            return runbook().rollback(name);
        }

        @Override
        default Runbook build() {
            return runbook().build();
        }
    }

    static final class Step extends StepStartBase<RollbackActionStage, RollbackBranchStage> implements RollbackStage {
        Step(RunbookDraft rb, StepList list, String name) {
            super(rb, list, name, Action::new, Branch::new);
        }
    }

    static final class Action extends ActionStageBase<RollbackActionStage> implements RollbackActionStage, Flow {
        Action(RunbookDraft rb, ActionDraft draft) {
            super(rb, draft);
        }

        @Override
        RollbackActionStage self() {
            return this;
        }

        @Override
        public RunbookDraft runbook() {
            return rb;
        }
    }

    static final class Branch extends BranchStageBase.WithElse<RollbackBranchStage, RollbackBranchEndStage>
            implements RollbackBranchStage, Flow {
        Branch(RunbookDraft rb, BranchDraft draft) {
            super(rb, draft);
        }

        @Override
        RollbackBranchStage self() {
            return this;
        }

        @Override
        RollbackBranchEndStage end() {
            return new BranchEnd(rb, draft);
        }

        @Override
        public RunbookDraft runbook() {
            return rb;
        }
    }

    static final class BranchEnd extends BranchStageBase.End<RollbackBranchEndStage> implements RollbackBranchEndStage, Flow {
        BranchEnd(RunbookDraft rb, BranchDraft draft) {
            super(rb, draft);
        }

        @Override
        RollbackBranchEndStage self() {
            return this;
        }

        @Override
        public RunbookDraft runbook() {
            return rb;
        }
    }
}
