package dev.runbook.cli;

import dev.runbook.core.arch.ModuleRules;
import org.junit.jupiter.api.Test;

/** The CLI uses core's and the DSL's API only; integrations reach it through ServiceLoader, not by class. */
class CliArchitectureTest {
    @Test
    void dependsOnApisOnly() {
        ModuleRules.check("cli", "dsl");
    }
}
