package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.dsl.fluent.BranchStart;
import dev.runbook.dsl.fluent.StepStart;
import java.util.function.BiFunction;

/** A started step in any sequence; chooses its kind once and hands over to the stage of that kind. */
class StepStartBase<A, B> implements StepStart<A, B> {
    private final RunbookDraft rb;
    private final StepList list;
    private final StepDraft.Pending slot;
    private final BiFunction<RunbookDraft, ActionDraft, A> actionStage;
    private final BiFunction<RunbookDraft, BranchDraft, B> branchStage;
    private boolean chosen;

    StepStartBase(RunbookDraft rb, StepList list, String name, BiFunction<RunbookDraft, ActionDraft, A> actionStage,
            BiFunction<RunbookDraft, BranchDraft, B> branchStage) {
        this.rb = rb;
        this.list = list;
        this.slot = list.start(name);
        this.actionStage = actionStage;
        this.branchStage = branchStage;
    }

    @Override
    public A action(String action) {
        choose();
        if (action == null || action.isBlank()) {
            throw rb.error(slot.path() + ".action", "step '" + slot.name() + "': action must not be blank");
        }
        var draft = new ActionDraft(rb, slot.name(), slot.path(), action);
        list.complete(slot, draft);
        return actionStage.apply(rb, draft);
    }

    @Override
    public A runRunbook(String runbookId) {
        choose();
        if (runbookId == null || runbookId.isBlank()) {
            throw rb.error(slot.path() + ".params.runbook", "step '" + slot.name()
                    + "': the id of the runbook to run must not be blank");
        }
        var draft = new ActionDraft(rb, slot.name(), slot.path(), ActionRegistry.CHAIN_ACTION);
        draft.param("runbook", runbookId);
        list.complete(slot, draft);
        return actionStage.apply(rb, draft);
    }

    @Override
    public BranchStart<B> branch(String condition) {
        choose();
        String checked = rb.expression(slot.path() + ".if", condition, "branch '" + slot.name() + "': condition");
        var draft = new BranchDraft(rb, slot.name(), slot.path(), checked, list);
        list.complete(slot, draft);
        return new BranchStart<>() {
            @Override
            public B then(java.util.function.Consumer<dev.runbook.dsl.fluent.Steps> steps) {
                draft.then(steps);
                return branchStage.apply(rb, draft);
            }
        };
    }

    private void choose() {
        if (chosen) {
            throw rb.error(slot.path(), "step '" + slot.name() + "' already has an action or branch; start another "
                    + "step with .step(..) instead");
        }
        chosen = true;
    }
}
