package dev.runbook.dsl.fluent.internal;

import dev.runbook.dsl.fluent.NestedActionStage;
import dev.runbook.dsl.fluent.NestedBranchEndStage;
import dev.runbook.dsl.fluent.NestedBranchStage;
import dev.runbook.dsl.fluent.NestedStepStage;
import dev.runbook.dsl.fluent.Steps;

/** The stages of steps inside a branch's then/otherwise block. */
final class NestedSteps implements Steps {
    private final RunbookDraft rb;
    private final StepList list;

    NestedSteps(RunbookDraft rb, StepList list) {
        this.rb = rb;
        this.list = list;
    }

    @Override
    public NestedStepStage step(String name) {
        return new Step(rb, list, name);
    }

    /** What follows any complete nested step: the next step of the same block. */
    interface Flow extends Steps {
        RunbookDraft runbook();

        StepList list();

        @Override
        default NestedStepStage step(String name) {
            return new Step(runbook(), list(), name);
        }
    }

    static final class Step extends StepStartBase<NestedActionStage, NestedBranchStage> implements NestedStepStage {
        Step(RunbookDraft rb, StepList list, String name) {
            super(rb, list, name, (r, d) -> new Action(r, d, list), (r, d) -> new Branch(r, d, list));
        }
    }

    static final class Action extends ActionStageBase<NestedActionStage> implements NestedActionStage, Flow {
        private final StepList list;

        Action(RunbookDraft rb, ActionDraft draft, StepList list) {
            super(rb, draft);
            this.list = list;
        }

        @Override
        NestedActionStage self() {
            return this;
        }

        @Override
        public RunbookDraft runbook() {
            return rb;
        }

        @Override
        public StepList list() {
            return list;
        }
    }

    static final class Branch extends BranchStageBase.WithElse<NestedBranchStage, NestedBranchEndStage>
            implements NestedBranchStage, Flow {
        private final StepList list;

        Branch(RunbookDraft rb, BranchDraft draft, StepList list) {
            super(rb, draft);
            this.list = list;
        }

        @Override
        NestedBranchStage self() {
            return this;
        }

        @Override
        NestedBranchEndStage end() {
            return new BranchEnd(rb, draft, list);
        }

        @Override
        public RunbookDraft runbook() {
            return rb;
        }

        @Override
        public StepList list() {
            return list;
        }
    }

    static final class BranchEnd extends BranchStageBase.End<NestedBranchEndStage> implements NestedBranchEndStage, Flow {
        private final StepList list;

        BranchEnd(RunbookDraft rb, BranchDraft draft, StepList list) {
            super(rb, draft);
            this.list = list;
        }

        @Override
        NestedBranchEndStage self() {
            return this;
        }

        @Override
        public RunbookDraft runbook() {
            return rb;
        }

        @Override
        public StepList list() {
            return list;
        }
    }
}
