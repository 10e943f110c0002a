package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Step;
import dev.runbook.dsl.fluent.Steps;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** A branch being written: its condition, then its {@code then} block, then optionally its {@code otherwise}. */
final class BranchDraft implements StepDraft {
    private final RunbookDraft rb;
    private final String name;
    private final String path;
    private final String condition;
    private final StepList then;
    private final StepList otherwise;
    private boolean thenGiven;
    private boolean otherwiseGiven;
    private String when;
    private OnFailure onFailure;

    BranchDraft(RunbookDraft rb, String name, String path, String condition, StepList scope) {
        this.rb = rb;
        this.name = name;
        this.path = path;
        this.condition = condition;
        // then and else share the name scope of the sequence the branch is in, as the compiler checks it
        this.then = new StepList(rb, path + ".then", scope.namesInScope());
        this.otherwise = new StepList(rb, path + ".else", scope.namesInScope());
    }

    @Override
    public String path() {
        return path;
    }

    void then(Consumer<Steps> block) {
        if (thenGiven) {
            throw rb.error(path + ".then", "branch '" + name + "': then is already given");
        }
        thenGiven = true;
        fill(then, block, "then");
    }

    void otherwise(Consumer<Steps> block) {
        if (otherwiseGiven) {
            throw rb.error(path + ".else", "branch '" + name + "': otherwise is already given");
        }
        otherwiseGiven = true;
        fill(otherwise, block, "otherwise");
    }

    private void fill(StepList list, Consumer<Steps> block, String what) {
        if (block == null) {
            throw rb.error(list.base(), "branch '" + name + "': the " + what + " block must not be null");
        }
        block.accept(new NestedSteps(rb, list));
        list.close("the " + what + " block of branch '" + name + "'");
    }

    void when(String v) {
        if (when != null) {
            throw rb.error(path + ".when", "branch '" + name + "': when is already set; give it once");
        }
        when = rb.expression(path + ".when", v, "branch '" + name + "': when");
    }

    void onFailure(OnFailure v) {
        if (onFailure != null) {
            throw rb.error(path + ".on_failure", "branch '" + name + "': on_failure is already set; give it once");
        }
        onFailure = Objects.requireNonNull(v, "onFailure");
    }

    @Override
    public void checkComplete(RunbookDraft rb) {
        if (!thenGiven) {
            throw rb.error(path + ".then", "branch '" + name + "' has no then block; follow .branch(..) with .then(..)");
        }
    }

    @Override
    public Step toStep(RunbookDraft rb) {
        return new BranchStep(name, condition, then.toSteps(), otherwise.toSteps(), Optional.ofNullable(when),
                onFailure == null ? OnFailure.DEFAULT : onFailure);
    }
}
