package dev.runbook.dsl.fluent;

import java.util.function.Consumer;

/**
 * A branch that still needs the steps it runs when its condition holds.
 *
 * @param <B> the stage after {@code then}
 */
public interface BranchStart<B> {

    /**
     * The steps run when the condition holds, added inside {@code steps}:
     * {@code then(t -> t.step("Scale").action("scale-service").param("replicas", 3))}.
     *
     * @throws RunbookDefinitionException when {@code steps} adds no step
     */
    B then(Consumer<Steps> steps);
}
