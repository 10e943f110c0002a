package dev.runbook.core.engine.internal;

import dev.runbook.core.expression.Values;
import java.util.HashMap;
import java.util.Map;

/**
 * An execution's variables. Values are frozen (read-only deep copies) when they are set, and the map
 * handed to templates and expressions is frozen once per change, so evaluations copy nothing.
 */
final class Variables {
    private final Map<String, Object> values = new HashMap<>();
    private Map<String, Object> view;

    void put(String name, Object value) {
        values.put(name, Values.freeze(value));
        view = null;
    }

    Object get(String name) {
        return values.get(name);
    }

    /** The frozen map expressions read; rebuilt only after a change. */
    Map<String, Object> view() {
        if (view == null) {
            view = Values.freezeVariables(values);
        }
        return view;
    }
}
