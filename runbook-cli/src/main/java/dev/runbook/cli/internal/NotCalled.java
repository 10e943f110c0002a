package dev.runbook.cli.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import java.util.List;
import java.util.Set;

/**
 * Stand-ins for a plan without a target: same names, aliases and param schemas, so every step is rendered and its
 * params checked, but nothing is ever called.
 */
final class NotCalled {
    private NotCalled() {
    }

    /** The provider's actions, each replaced by a stand-in that is never called. */
    static ActionProvider wrap(ActionProvider provider) {
        List<Action> actions = provider.actions().stream().<Action>map(Rendered::new).toList();
        return new ActionProvider() {
            @Override
            public List<Action> actions() {
                return actions;
            }

            @Override
            public String id() {
                return provider.id();
            }
        };
    }

    /**
     * Declared mutating and without dry-run support on purpose: for such actions the engine's dry run renders and
     * checks the params, records the step as "would call ACTION" and never invokes it (nor checks its expect).
     */
    private record Rendered(Action delegate) implements Action {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Set<String> aliases() {
            return delegate.aliases();
        }

        @Override
        public String description() {
            return delegate.description();
        }

        @Override
        public ParamSchema schema() {
            return delegate.schema();
        }

        @Override
        public boolean mutating() {
            return true;
        }

        @Override
        public boolean supportsDryRun() {
            return false;
        }

        @Override
        public ActionResult execute(ActionContext context) {
            throw new IllegalStateException("action " + delegate.name() + " must not be called in a plan without a target");
        }
    }
}
