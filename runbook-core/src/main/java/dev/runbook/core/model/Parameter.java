package dev.runbook.core.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A value a runbook declares and the host supplies, such as the seed's {@code registry_config}.
 * Templates read it as a variable of the same name.
 *
 * @param name         variable name
 * @param description  what it is for
 * @param defaultValue used when the host supplies nothing
 * @param secret       masked ({@code ***}) in recorded parameters, notifications of params and the audit trail
 * @param required     the execution fails before any step when no value and no default exist
 */
public record Parameter(String name, String description, Optional<ParamValue> defaultValue, boolean secret, boolean required) {
    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(defaultValue, "defaultValue");
    }

    /**
     * What an omitted {@code required} means in every front end: a parameter without a default is required, one
     * with a default is not.
     */
    public static boolean requiredByDefault(Optional<ParamValue> defaultValue) {
        return defaultValue.isEmpty();
    }

    /** A required parameter without default. */
    public static Parameter required(String name, String description) {
        return new Parameter(name, description, Optional.empty(), false, true);
    }

    /** A required secret without default. */
    public static Parameter secret(String name, String description) {
        return new Parameter(name, description, Optional.empty(), true, true);
    }

    /** An optional parameter with a default. */
    public static Parameter withDefault(String name, String description, Object defaultValue) {
        return new Parameter(name, description, Optional.of(ParamValue.of(defaultValue)), false, false);
    }
}
