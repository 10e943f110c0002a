package dev.runbook.opentelemetry;

import dev.runbook.core.arch.ModuleRules;
import org.junit.jupiter.api.Test;

/** This module depends on core's API (and the integrations it wires) only; its packages have no cycles. */
class OpenTelemetryArchitectureTest {
    @Test
    void dependsOnCoresApiOnly() {
        ModuleRules.check("opentelemetry");
    }
}
