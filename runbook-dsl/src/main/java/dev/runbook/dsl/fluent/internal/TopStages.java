package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.fluent.ActionStage;
import dev.runbook.dsl.fluent.AfterStep;
import dev.runbook.dsl.fluent.BranchEndStage;
import dev.runbook.dsl.fluent.BranchStage;
import dev.runbook.dsl.fluent.NotificationTarget;
import dev.runbook.dsl.fluent.RollbackStage;
import dev.runbook.dsl.fluent.StepStage;

/** The stages of top-level steps. */
final class TopStages {
    private TopStages() {
    }

    /** What follows any complete top-level step. */
    interface Flow extends AfterStep {
        RunbookDraft runbook();

        @Override
        default StepStage step(String name) {
            return runbook().step(name);
        }

        @Override
        default NotificationTarget notifyOnSuccess() {
            return runbook().notifyOnSuccess();
        }

        @Override
        default NotificationTarget notifyOnFailure() {
            return runbook().notifyOnFailure();
        }

        @Override
        default RollbackStage rollback(String name) {
            return runbook().rollback(name);
        }

        @Override
        default Runbook build() {
            return runbook().build();
        }
    }

    static final class Step extends StepStartBase<ActionStage, BranchStage> implements StepStage {
        Step(RunbookDraft rb, StepList list, String name) {
            super(rb, list, name, Action::new, Branch::new);
        }
    }

    static final class Action extends ActionStageBase<ActionStage> implements ActionStage, Flow {
        Action(RunbookDraft rb, ActionDraft draft) {
            super(rb, draft);
        }

        @Override
        ActionStage self() {
            return this;
        }

        @Override
        public RunbookDraft runbook() {
            return rb;
        }
    }

    static final class Branch extends BranchStageBase.WithElse<BranchStage, BranchEndStage> implements BranchStage, Flow {
        Branch(RunbookDraft rb, BranchDraft draft) {
            super(rb, draft);
        }

        @Override
        BranchStage self() {
            return this;
        }

        @Override
        BranchEndStage end() {
            return new BranchEnd(rb, draft);
        }

        @Override
        public RunbookDraft runbook() {
            return rb;
        }
    }

    static final class BranchEnd extends BranchStageBase.End<BranchEndStage> implements BranchEndStage, Flow {
        BranchEnd(RunbookDraft rb, BranchDraft draft) {
            super(rb, draft);
        }

        @Override
        BranchEndStage self() {
            return this;
        }

        @Override
        public RunbookDraft runbook() {
            return rb;
        }
    }
}
