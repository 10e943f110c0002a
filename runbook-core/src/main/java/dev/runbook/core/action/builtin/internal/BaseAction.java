package dev.runbook.core.action.builtin.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ParamSchema;
import java.time.Duration;
import java.util.Objects;

/** Name, description, schema and mutating flag of a built-in action, plus shared parameter checks. */
abstract class BaseAction implements Action {
    private final String name;
    private final String description;
    private final ParamSchema schema;
    private final boolean mutating;

    BaseAction(String name, String description, ParamSchema schema, boolean mutating) {
        this.name = Objects.requireNonNull(name);
        this.description = Objects.requireNonNull(description);
        this.schema = Objects.requireNonNull(schema);
        this.mutating = mutating;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final ParamSchema schema() {
        return schema;
    }

    @Override
    public final boolean mutating() {
        return mutating;
    }

    @Override
    public String toString() {
        return "action " + name;
    }

    static Duration positive(Duration d, String param) throws ActionException {
        if (d.isNegative() || d.isZero()) {
            throw ActionException.permanent("parameter '" + param + "' must be a positive duration, got "
                    + HttpCalls.human(d));
        }
        return d;
    }
}
