package dev.runbook.core.expression;

import dev.runbook.core.expression.internal.SafeCopy;
import java.util.Map;

/**
 * Read-only deep copies of values for expressions and templates. Evaluations copy what they read so that
 * nothing can change the caller's data; a caller that evaluates many expressions over the same variables
 * (the engine) freezes them once with {@link #freezeVariables} and the evaluations then copy nothing.
 */
public final class Values {
    private Values() {
    }

    /**
     * A read-only deep copy: maps and records become read-only maps, collections and arrays read-only
     * lists; strings, numbers and booleans stay; enums become their name and any other object its text. A
     * value that is already frozen is returned as is.
     */
    public static Object freeze(Object value) {
        return SafeCopy.copy(value);
    }

    /** A frozen copy of a variable map (values already frozen are shared, not copied again). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> freezeVariables(Map<String, ?> variables) {
        return (Map<String, Object>) SafeCopy.copy(variables);
    }

    /** Whether {@link #freeze} made this value. */
    public static boolean isFrozen(Object value) {
        return SafeCopy.isFrozen(value);
    }
}
