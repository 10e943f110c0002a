package dev.runbook.core.engine;

import java.util.Optional;

/**
 * Supplies values for runbooks' declared parameters and secrets (the seed's {@code registry_config}):
 * from configuration, the environment or a vault. Consulted before a parameter's default.
 */
@FunctionalInterface
public interface ParameterResolver {

    /** The value of parameter {@code name} for runbook {@code runbookId}, if this resolver knows it. */
    Optional<Object> resolve(String runbookId, String name);
}
