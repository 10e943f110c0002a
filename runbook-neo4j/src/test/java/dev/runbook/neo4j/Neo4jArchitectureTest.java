package dev.runbook.neo4j;

import dev.runbook.core.arch.ModuleRules;
import org.junit.jupiter.api.Test;

/** This module depends on core's API only and on no other integration; its packages have no cycles. */
class Neo4jArchitectureTest {
    @Test
    void dependsOnCoresApiOnly() {
        ModuleRules.check("neo4j");
    }
}
