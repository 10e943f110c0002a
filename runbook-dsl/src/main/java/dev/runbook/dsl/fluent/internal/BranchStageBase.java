package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.OnFailure;
import dev.runbook.dsl.fluent.BranchElse;
import dev.runbook.dsl.fluent.BranchOptions;
import dev.runbook.dsl.fluent.Steps;
import java.util.function.Consumer;

/** The options of a branch, shared by the top-level, nested and rollback stages. */
final class BranchStageBase {
    private BranchStageBase() {
    }

    /** A branch with its then block: otherwise is still possible. */
    abstract static class WithElse<S, D> implements BranchElse<S, D> {
        final RunbookDraft rb;
        final BranchDraft draft;

        WithElse(RunbookDraft rb, BranchDraft draft) {
            this.rb = rb;
            this.draft = draft;
        }

        abstract S self();

        abstract D end();

        @Override
        public S when(String condition) {
            draft.when(condition);
            return self();
        }

        @Override
        public S onFailure(OnFailure onFailure) {
            draft.onFailure(onFailure);
            return self();
        }

        @Override
        public D otherwise(Consumer<Steps> steps) {
            draft.otherwise(steps);
            return end();
        }
    }

    /** A complete branch. */
    abstract static class End<S> implements BranchOptions<S> {
        final RunbookDraft rb;
        final BranchDraft draft;

        End(RunbookDraft rb, BranchDraft draft) {
            this.rb = rb;
            this.draft = draft;
        }

        abstract S self();

        @Override
        public S when(String condition) {
            draft.when(condition);
            return self();
        }

        @Override
        public S onFailure(OnFailure onFailure) {
            draft.onFailure(onFailure);
            return self();
        }
    }
}
