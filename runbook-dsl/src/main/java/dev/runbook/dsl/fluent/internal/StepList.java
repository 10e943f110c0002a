package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One sequence of step drafts (the steps, a branch's then/else, the rollback) with its path for messages. */
final class StepList {
    private final RunbookDraft rb;
    private final String base;
    private final Map<String, String> namesInScope;
    private final List<StepDraft> drafts = new ArrayList<>();
    private boolean closed;

    StepList(RunbookDraft rb, String base, Map<String, String> namesInScope) {
        this.rb = rb;
        this.base = base;
        this.namesInScope = namesInScope;
    }

    String base() {
        return base;
    }

    Map<String, String> namesInScope() {
        return namesInScope;
    }

    boolean isEmpty() {
        return drafts.isEmpty();
    }

    /** Reserves the next slot for a step called {@code name}; the slot stays pending until its kind is chosen. */
    StepDraft.Pending start(String name) {
        String path = base + "[" + drafts.size() + "]";
        if (closed) {
            throw rb.error(path, "step '" + name + "' is added after its branch block returned; add the steps of a "
                    + "then/otherwise inside its block");
        }
        if (name == null || name.isBlank()) {
            throw rb.error(path + ".name", "step name must not be blank");
        }
        String previous = namesInScope.putIfAbsent(name, path);
        if (previous != null) {
            throw rb.error(path + ".name", "duplicate step name '" + name + "' (also at " + previous
                    + "); step names must be unique within a runbook's steps and within its rollback");
        }
        var pending = new StepDraft.Pending(name, path, drafts.size());
        drafts.add(pending);
        return pending;
    }

    void complete(StepDraft.Pending slot, StepDraft draft) {
        drafts.set(slot.index(), draft);
    }

    /** Ends a branch block: it must have added a step, and each of its steps must be complete. */
    void close(String what) {
        closed = true;
        if (drafts.isEmpty()) {
            throw rb.error(base, what + " adds no step; give it at least one step");
        }
        drafts.forEach(d -> d.checkComplete(rb));
    }

    List<Step> toSteps() {
        var out = new ArrayList<Step>(drafts.size());
        for (StepDraft d : drafts) {
            d.checkComplete(rb);
            out.add(d.toStep(rb));
        }
        return List.copyOf(out);
    }
}
