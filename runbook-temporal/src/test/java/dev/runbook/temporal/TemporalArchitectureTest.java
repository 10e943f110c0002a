package dev.runbook.temporal;

import dev.runbook.core.arch.ModuleRules;
import org.junit.jupiter.api.Test;

/** This module depends on core's API only and on no other integration; its packages have no cycles. */
class TemporalArchitectureTest {
    @Test
    void dependsOnCoresApiOnly() {
        ModuleRules.check("temporal");
    }
}
