package dev.runbook.slack;

import dev.runbook.core.arch.ModuleRules;
import org.junit.jupiter.api.Test;

/** This module depends on core's API only and on no other integration; its packages have no cycles. */
class SlackArchitectureTest {
    @Test
    void dependsOnCoresApiOnly() {
        ModuleRules.check("slack");
    }
}
