package dev.runbook.dashboard;

import dev.runbook.core.arch.ModuleRules;
import org.junit.jupiter.api.Test;

class DashboardArchitectureTest {
    @Test
    void theDashboardUsesCoresApiAndOnlyNeo4jsAuditQueries() {
        ModuleRules.check("dashboard", "neo4j");
    }
}
