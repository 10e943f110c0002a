package dev.runbook.dsl;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.dsl.internal.SchemaGenerator;

/**
 * The JSON Schema (draft 2020-12) of runbook YAML files, generated from the same definitions the loader enforces,
 * with each action's params described, so editors validate and complete runbooks. The schema for core's built-in
 * actions is also published as the resource {@code dev/runbook/dsl/runbook.schema.json}.
 */
public final class RunbookSchema {
    private RunbookSchema() {
    }

    /** The schema for runbooks using these actions. */
    public static String jsonSchema(ActionRegistry registry) {
        return SchemaGenerator.generate(registry);
    }

    /** The schema for the actions discovered on the thread's context class loader. */
    public static String jsonSchema() {
        return jsonSchema(ActionRegistry.builder().discover(Thread.currentThread().getContextClassLoader()).build());
    }
}
