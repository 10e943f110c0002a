package dev.runbook.core.action;

import java.util.Objects;
import java.util.Set;

/**
 * A convenient base for {@link Action}s: holds the name, aliases, description, schema and mutating flag, so an
 * implementation writes only {@link #execute}. Providers may implement {@link Action} directly instead.
 */
public abstract class AbstractAction implements Action {
    private final String name;
    private final Set<String> aliases;
    private final String description;
    private final ParamSchema schema;
    private final boolean mutating;

    /**
     * @param name        the name runbooks use
     * @param aliases     other names
     * @param description one line for the reference
     * @param schema      the parameters it accepts
     * @param mutating    whether it changes anything outside the engine
     */
    protected AbstractAction(String name, Set<String> aliases, String description, ParamSchema schema, boolean mutating) {
        this.name = Objects.requireNonNull(name, "name");
        this.aliases = Set.copyOf(aliases);
        this.description = Objects.requireNonNull(description, "description");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.mutating = mutating;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<String> aliases() {
        return aliases;
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
}
