package dev.runbook.core.action;

import java.util.Objects;
import java.util.Optional;

/**
 * One parameter of an action.
 *
 * @param name         its key in the step's {@code params}
 * @param type         its type after rendering
 * @param required     a step must give it
 * @param defaultValue used when the step does not give it
 * @param description  one line for the reference and the JSON Schema
 */
public record ParamSpec(String name, ParamType type, boolean required, Optional<Object> defaultValue, String description) {
    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        if (required && defaultValue.isPresent()) {
            throw new IllegalArgumentException("parameter " + name + " cannot be both required and defaulted");
        }
    }

    /** A required parameter. */
    public static ParamSpec required(String name, ParamType type, String description) {
        return new ParamSpec(name, type, true, Optional.empty(), description);
    }

    /** An optional parameter without default. */
    public static ParamSpec optional(String name, ParamType type, String description) {
        return new ParamSpec(name, type, false, Optional.empty(), description);
    }

    /** An optional parameter with a default. */
    public static ParamSpec withDefault(String name, ParamType type, Object defaultValue, String description) {
        return new ParamSpec(name, type, false, Optional.of(defaultValue), description);
    }
}
