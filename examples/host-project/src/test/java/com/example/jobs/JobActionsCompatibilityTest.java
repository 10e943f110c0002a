package com.example.jobs;

import dev.runbook.core.action.ActionProvider;
import dev.runbook.testkit.ActionProviderCompatibilityKit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The host's provider checked by runbook-testkit's kit: every check of the kit runs as a test of this class. */
class JobActionsCompatibilityTest extends ActionProviderCompatibilityKit {
    private JobScheduler scheduler;

    @BeforeEach
    void scheduler() {
        scheduler = new JobScheduler();
        scheduler.add("nightly-report");
    }

    @Override
    protected ActionProvider provider() {
        return new JobActions(scheduler);
    }

    @Override
    protected Map<String, Map<String, Object>> validParams() {
        return Map.of("pause_job", Map.of("job", "nightly-report", "reason", "cluster under memory pressure"));
    }

    @Override
    protected Object externalState() {
        return scheduler.snapshot();
    }

    @Override
    protected boolean registeredThroughServiceLoader() {
        return false; // the host passes it to the engine's builder
    }
}
