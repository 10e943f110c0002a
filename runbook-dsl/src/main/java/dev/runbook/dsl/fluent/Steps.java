package dev.runbook.dsl.fluent;

/**
 * The steps of a branch's {@code then} or {@code otherwise}, given inside the block passed to
 * {@link BranchStart#then} or {@link BranchElse#otherwise}. The block must add at least one step, and the
 * object must not be used after the block returns.
 */
public interface Steps {

    /**
     * Starts a step named {@code name}, unique within the runbook's steps.
     *
     * @throws RunbookDefinitionException for a blank or repeated name
     */
    NestedStepStage step(String name);
}
