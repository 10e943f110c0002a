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

    /**
     * What is known when a step starts; the factories below finish it.
     *
     * @param name      the step's name
     * @param action    the action's name ({@code branch} for an if/then/else node)
     * @param dryRun    whether this is the dry run
     * @param params    rendered parameters, secrets masked (empty before they are rendered)
     * @param startedAt when it started (engine clock)
     */
    public record Start(String name, String action, boolean dryRun, Map<String, Object> params, Instant startedAt) {
        public Start {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(action, "action");
            params = params == null ? Map.of() : params;
            Objects.requireNonNull(startedAt, "startedAt");
        }

        /** The same start with its rendered parameters. */
        public Start withParams(Map<String, Object> rendered) {
            return new Start(name, action, dryRun, rendered, startedAt);
        }
    }

    /** A step that ran and whose {@code expect} held. */
    public static StepResult succeeded(Start s, Optional<Object> output, int attempts, List<TouchedResource> touched,
                                       String summary, Instant finishedAt) {
        return new StepResult(s.name(), s.action(), StepStatus.SUCCEEDED, s.dryRun(), s.params(), output,
                Optional.empty(), attempts, touched, summary, s.startedAt(), finishedAt);
    }

    /** A step that failed after {@code attempts} attempts. */
    public static StepResult failed(Start s, String error, int attempts, Instant finishedAt) {
        return new StepResult(s.name(), s.action(), StepStatus.FAILED, s.dryRun(), s.params(), Optional.empty(),
                Optional.of(error), attempts, List.of(), "", s.startedAt(), finishedAt);
    }

    /** A step whose {@code when} was false. */
    public static StepResult skipped(Start s, Instant finishedAt) {
        return new StepResult(s.name(), s.action(), StepStatus.SKIPPED, s.dryRun(), s.params(), Optional.empty(),
                Optional.empty(), 0, List.of(), "", s.startedAt(), finishedAt);
    }

    /** A mutating step of the dry run whose action cannot dry-run: rendered, not called. */
    public static StepResult notRunInDryRun(Start s, String summary, Instant finishedAt) {
        return new StepResult(s.name(), s.action(), StepStatus.NOT_RUN_IN_DRY_RUN, true, s.params(), Optional.empty(),
                Optional.empty(), 0, List.of(), summary, s.startedAt(), finishedAt);
    }

    /** A copy named {@code prefix + name}, for the steps of a chained runbook. */
    public StepResult prefixed(String prefix) {
        return new StepResult(prefix + name, action, status, dryRun, params, output, error, attempts, touched, summary,
                startedAt, finishedAt);
    }

    /** How long it took. */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
