package dev.runbook.k8s;

import dev.runbook.core.arch.ModuleRules;
import org.junit.jupiter.api.Test;

/** This module depends on core's API only and on no other integration; its packages have no cycles. */
class K8sArchitectureTest {
    @Test
    void dependsOnCoresApiOnly() {
        ModuleRules.check("k8s");
    }
}
