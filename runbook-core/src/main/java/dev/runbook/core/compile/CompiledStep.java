package dev.runbook.core.compile;

import dev.runbook.core.action.Action;
import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Step;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A step with its templates and conditions compiled: what the engine walks. */
public sealed interface CompiledStep permits CompiledStep.Call, CompiledStep.Chain, CompiledStep.Branch {

    /** The model step. */
    Step step();

    /** Its compiled {@code when}. */
    Optional<CompiledExpression> when();

    /**
     * An action call.
     *
     * @param step   the model step
     * @param action the resolved action
     * @param params the compiled parameter tree
     * @param when   compiled {@code when}
     * @param expect compiled {@code expect}
     */
    record Call(ActionStep step, Action action, CompiledParams params, Optional<CompiledExpression> when,
                Optional<CompiledExpression> expect) implements CompiledStep {
        public Call {
            Objects.requireNonNull(action, "action");
        }

        /** Whether the action changes anything. */
        public boolean mutating() {
            return action.mutating();
        }
    }

    /**
     * A chained runbook ({@code action: run_runbook}): the engine runs the target runbook's steps itself, as part of
     * this execution. It counts as mutating.
     *
     * @param step   the model step
     * @param target the target runbook's id when {@code params.runbook} names it literally (checked against the
     *               library when compiled); empty when it is a template, rendered when the step runs
     * @param params the compiled parameter tree ({@code runbook}, and {@code params} for the chained runbook)
     * @param when   compiled {@code when}
     */
    record Chain(ActionStep step, Optional<String> target, CompiledParams params, Optional<CompiledExpression> when)
            implements CompiledStep {
    }

    /**
     * An if/then/else node.
     *
     * @param step      the model step
     * @param condition compiled condition
     * @param when      compiled {@code when}
     * @param then      compiled then-branch
     * @param otherwise compiled else-branch
     */
    record Branch(BranchStep step, CompiledExpression condition, Optional<CompiledExpression> when,
                  List<CompiledStep> then, List<CompiledStep> otherwise) implements CompiledStep {
        public Branch {
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }
    }
}
