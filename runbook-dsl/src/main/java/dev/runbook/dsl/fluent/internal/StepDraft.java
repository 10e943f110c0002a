package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.Step;

/** A step being written: pending (only its name is known), an action, or a branch. */
interface StepDraft {

    /** The step's path, for instance {@code steps[1].then[0]}. */
    String path();

    /** Fails when something required is still missing. */
    void checkComplete(RunbookDraft rb);

    /** The model step; only called after {@link #checkComplete}. */
    Step toStep(RunbookDraft rb);

    /** A started step whose action or branch is not chosen yet. */
    record Pending(String name, String path, int index) implements StepDraft {
        @Override
        public void checkComplete(RunbookDraft rb) {
            throw rb.error(path, "step '" + name + "' has neither an action nor a branch; follow step(\"" + name
                    + "\") with .action(..), .runRunbook(..) or .branch(..)");
        }

        @Override
        public Step toStep(RunbookDraft rb) {
            throw new IllegalStateException("pending step " + path);
        }
    }
}
