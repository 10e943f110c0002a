package dev.runbook.dsl.fluent;

/**
 * The stage right after {@code step(name)}: a step is either an action call or a branch, and nothing else
 * can be said about it until that is chosen.
 *
 * @param <A> the stage that configures an action step
 * @param <B> the stage reached once a branch has its {@code then} steps
 */
public interface StepStart<A, B> {

    /**
     * This step calls {@code action} (a name or alias of a registered action, for instance {@code kubectl_patch}).
     *
     * @throws RunbookDefinitionException when the name is blank
     */
    A action(String action);

    /**
     * This step runs another runbook ({@code action: run_runbook} with {@code params.runbook: runbookId}); the
     * chained runbook sees the same incident. More params may follow.
     *
     * @throws RunbookDefinitionException when the id is blank
     */
    A runRunbook(String runbookId);

    /**
     * This step is an if/then/else over the variables: {@code condition} is an expression such as
     * {@code current_memory != null}.
     *
     * @throws RunbookDefinitionException when the condition is blank
     */
    BranchStart<B> branch(String condition);
}
