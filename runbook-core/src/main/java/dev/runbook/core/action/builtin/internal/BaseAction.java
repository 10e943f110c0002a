package dev.runbook.core.action.builtin.internal;

import dev.runbook.core.action.AbstractAction;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.internal.Durations;
import java.time.Duration;

/** Name, description, schema and mutating flag of a built-in action, plus shared parameter checks. */
abstract class BaseAction extends AbstractAction {

    BaseAction(String name, String description, ParamSchema schema, boolean mutating) {
        super(name, java.util.Set.of(), description, schema, mutating);
    }

    static Duration positive(Duration d, String param) throws ActionException {
        if (d.isNegative() || d.isZero()) {
            throw ActionException.permanent("parameter '" + param + "' must be a positive duration, got "
                    + Durations.human(d));
        }
        return d;
    }
}
