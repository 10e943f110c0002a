package dev.runbook.core.engine.internal;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/** The {@link ActionContext} the engine hands to an action for one attempt. */
record EngineActionContext(String executionId, Runbook runbook, String stepName, Incident incident,
                           Map<String, Object> params, Map<String, Object> variables, boolean dryRun, Clock clock,
                           Logger logger, Optional<Instant> deadline, BooleanSupplier cancelledFlag, Sleeper sleeper,
                           int attempt, Map<String, Object> fixedAtFirst)
        implements ActionContext {

    @Override
    public boolean cancelled() {
        return cancelledFlag.getAsBoolean();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T fixedAtFirstAttempt(String key, Supplier<T> first) {
        return (T) fixedAtFirst.computeIfAbsent(key, k -> first.get());
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Duration d = duration;
        if (deadline.isPresent()) {
            Duration left = Duration.between(clock.instant(), deadline.get());
            if (left.compareTo(d) < 0) {
                d = left.isNegative() ? Duration.ZERO : left;
            }
        }
        if (cancelled()) {
            throw new InterruptedException("execution " + executionId + " cancelled");
        }
        sleeper.sleep(d);
    }
}
