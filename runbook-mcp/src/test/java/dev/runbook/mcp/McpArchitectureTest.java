package dev.runbook.mcp;

import dev.runbook.core.arch.ModuleRules;
import org.junit.jupiter.api.Test;

/** This module depends on core's API (and the integrations it wires) only; its packages have no cycles. */
class McpArchitectureTest {
    @Test
    void dependsOnCoresApiOnly() {
        ModuleRules.check("mcp", "dsl", "docker", "k8s", "neo4j");
    }
}
