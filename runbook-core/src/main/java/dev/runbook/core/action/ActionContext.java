package dev.runbook.core.action;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * What an action sees when it runs: its rendered and type-converted parameters, the incident, the
 * variables captured so far, whether this is a dry run, the clock and the deadline.
 */
public interface ActionContext {

    /** The execution's id. */
    String executionId();

    /** The runbook being executed (its safety section carries bounds and whitelists actions honour). */
    Runbook runbook();

    /** The step's name. */
    String stepName();

    /** The incident. */
    Incident incident();

    /** Rendered parameters, converted to the schema's types, defaults applied. Unmodifiable. */
    Map<String, Object> params();

    /** Variables visible to the step (incident, parameters, earlier outputs). Unmodifiable. */
    Map<String, Object> variables();

    /** Whether the action must only report what it would do. */
    boolean dryRun();

    /** The engine's clock. */
    Clock clock();

    /** A logger named after the action. */
    Logger logger();

    /** When this attempt must end; actions that wait must stop by then. */
    Optional<Instant> deadline();

    /** Whether the execution was cancelled; long-running actions check it. */
    boolean cancelled();

    /**
     * Waits this long using the engine's sleeper (tests inject one that advances a test clock instead of
     * sleeping). Actions must use this, never {@link Thread#sleep}.
     *
     * @throws InterruptedException when the execution is cancelled while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /** Which attempt of the step this is, from 1 (retries count up). */
    default int attempt() {
        return 1;
    }

    /**
     * A value fixed at the first attempt of this step and handed back unchanged to its retries. An action whose
     * retry would otherwise pick a different target uses it: {@code kubectl_rollout_undo} fixes "the previous
     * revision" once, so a retry after a partial undo cannot flip back to the bad revision.
     *
     * @param key   names the value within the step
     * @param first computes it, on the first attempt that asks
     */
    default <T> T fixedAtFirstAttempt(String key, java.util.function.Supplier<T> first) {
        return first.get();
    }

    /** Time left before the deadline, or {@code fallback} when there is none. */
    default Duration remaining(Duration fallback) {
        return deadline().map(d -> {
            Duration left = Duration.between(clock().instant(), d);
            return left.isNegative() ? Duration.ZERO : left;
        }).orElse(fallback);
    }

    /** A required string parameter. */
    default String string(String name) {
        return (String) require(name);
    }

    /** An optional string parameter. */
    default Optional<String> optionalString(String name) {
        return Optional.ofNullable((String) params().get(name));
    }

    /** A required integer parameter. */
    default long integer(String name) {
        return (Long) require(name);
    }

    /** A boolean parameter, {@code fallback} when absent. */
    default boolean bool(String name, boolean fallback) {
        Object v = params().get(name);
        return v == null ? fallback : (Boolean) v;
    }

    /** A required duration parameter. */
    default Duration duration(String name) {
        return (Duration) require(name);
    }

    /** A required map parameter. */
    @SuppressWarnings("unchecked")
    default Map<String, Object> map(String name) {
        return (Map<String, Object>) require(name);
    }

    /** A required list parameter. */
    @SuppressWarnings("unchecked")
    default List<Object> list(String name) {
        return (List<Object>) require(name);
    }

    private Object require(String name) {
        Object v = params().get(name);
        if (v == null) {
            throw new IllegalArgumentException("parameter '" + name + "' is missing");
        }
        return v;
    }
}
