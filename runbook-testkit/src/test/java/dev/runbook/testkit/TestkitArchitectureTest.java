package dev.runbook.testkit;

import dev.runbook.core.arch.ModuleRules;
import org.junit.jupiter.api.Test;

/** The kits use core's API only (what a provider author's code sees) and no integration. */
class TestkitArchitectureTest {
    @Test
    void dependsOnCoresApiOnly() {
        ModuleRules.check("testkit");
    }
}
