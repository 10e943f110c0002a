package dev.runbook.cli;

import dev.runbook.core.arch.ModuleRules;
import org.junit.jupiter.api.Test;

/**
 * The CLI uses core's and the DSL's API, and Neo4j's for backtest's incident history; other integrations reach it
 * through ServiceLoader, not by class.
 */
class CliArchitectureTest {
    @Test
    void dependsOnApisOnly() {
        ModuleRules.check("cli", "dsl", "neo4j");
    }
}
