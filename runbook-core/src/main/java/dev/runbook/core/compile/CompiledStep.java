package dev.runbook.core.compile;

import dev.runbook.core.action.Action;
import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Step;
import java.util.List;
import java.util.Optional;

/** A step with its templates and conditions compiled: what the engine walks. */
public sealed interface CompiledStep permits CompiledStep.Call, CompiledStep.Branch {

    /** The model step. */
    Step step();

    /** Its compiled {@code when}. */
    Optional<CompiledExpression> when();

    /**
     * An action call. {@code action} is empty for {@code run_runbook}, which the engine runs itself.
     *
     * @param step   the model step
     * @param action the resolved action
     * @param params the compiled parameter tree
     * @param when   compiled {@code when}
     * @param expect compiled {@code expect}
     */
    record Call(ActionStep step, Optional<Action> action, CompiledParams params, Optional<CompiledExpression> when,
                Optional<CompiledExpression> expect) implements CompiledStep {

        /** Whether this step chains another runbook. */
        public boolean isChain() {
            return action.isEmpty();
        }

        /** Whether the action changes anything (chained runbooks count as mutating). */
        public boolean mutating() {
            return action.map(Action::mutating).orElse(true);
        }
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
