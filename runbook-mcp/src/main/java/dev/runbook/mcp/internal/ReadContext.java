package dev.runbook.mcp.internal;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context of a read-only monitor call ({@code container-metrics}, {@code container-logs}): such reads change
 * nothing, so they run outside the engine's guards, which only count and lock changes.
 */
public record ReadContext(String executionId, Runbook runbook, String stepName, Incident incident,
                          Map<String, Object> params, Clock clock, Optional<Instant> deadline) implements ActionContext {
    private static final Logger LOG = LoggerFactory.getLogger("dev.runbook.mcp.monitor");

    @Override
    public Map<String, Object> variables() {
        return Map.of();
    }

    @Override
    public boolean dryRun() {
        return false;
    }

    @Override
    public Logger logger() {
        return LOG;
    }

    @Override
    public boolean cancelled() {
        return Thread.currentThread().isInterrupted();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        // a monitor read waits between two samples of a real engine
        Thread.sleep(duration.toMillis());
    }
}
