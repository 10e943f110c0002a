package dev.runbook.examples;

import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.Runbooks;
import java.time.Duration;

/** The root README's Java DSL snippet, compiled with the tests; ReadmeTest checks the README shows it verbatim. */
final class ReadmeSnippets {
    private ReadmeSnippets() {
    }

    static Runbook memorySpike() {
        // --- README snippet starts ---
        Runbook rb = Runbooks.runbook("memory-spike-readme")
                .name("Memory spike")
                .trigger(t -> t.rootCause("MEMORY_SPIKE").resourceKinds("Container"))
                .safety(s -> s.maxActionPerResourcePerHour("restart-container", 3).minActionSpacing(Duration.ofSeconds(5)))
                .step("Restart the container").action("restart-container")
                    .param("container", "{{ incident.resource.name }}")
                .build();
        // --- README snippet ends ---
        return rb;
    }
}
