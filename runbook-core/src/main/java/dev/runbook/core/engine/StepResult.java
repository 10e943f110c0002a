package dev.runbook.core.engine;

import dev.runbook.core.action.TouchedResource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one step did.
 *
 * @param name       the step's name
 * @param action     the action's name ({@code branch} for an if/then/else node)
 * @param status     how it ended
 * @param dryRun     whether this was the dry run
 * @param params     rendered parameters, secrets masked
 * @param output     the action's output
 * @param error      why it failed
 * @param attempts   attempts made
 * @param touched    resources it changed or would change
 * @param summary    one line for {@code actions_taken}
 * @param startedAt  when it started (engine clock)
 * @param finishedAt when it ended
 */
public record StepResult(String name, String action, StepStatus status, boolean dryRun, Map<String, Object> params,
                         Optional<Object> output, Optional<String> error, int attempts, List<TouchedResource> touched,
                         String summary, Instant startedAt, Instant finishedAt) {
    public StepResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(error, "error");
        touched = List.copyOf(touched);
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    /** How long it took. */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
