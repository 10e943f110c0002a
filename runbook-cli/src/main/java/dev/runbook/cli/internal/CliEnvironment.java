package dev.runbook.cli.internal;

import java.util.Map;
import java.util.Optional;

/**
 * The environment variables the commands read, injected so tests do not depend on the machine's.
 *
 * @param variables the variables
 */
public record CliEnvironment(Map<String, String> variables) {
    public CliEnvironment {
        variables = Map.copyOf(variables);
    }

    /** A non-blank variable. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
    }
}
