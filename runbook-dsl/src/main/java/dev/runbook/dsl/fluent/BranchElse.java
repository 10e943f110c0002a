package dev.runbook.dsl.fluent;

import java.util.function.Consumer;

/**
 * A branch that has its {@code then} steps and may get {@code otherwise} steps.
 *
 * @param <S> this stage
 * @param <D> the stage after {@code otherwise}, which no longer offers {@code otherwise}
 */
public interface BranchElse<S, D> extends BranchOptions<S> {

    /**
     * The steps run when the condition does not hold.
     *
     * @throws RunbookDefinitionException when {@code steps} adds no step (leave {@code otherwise} out instead)
     */
    D otherwise(Consumer<Steps> steps);
}
