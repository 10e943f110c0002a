package dev.runbook.dsl.fluent;

import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.RetryPolicy;
import java.time.Duration;
import java.util.Map;

/**
 * What may be said about an action step once its action is chosen. Each option may be given once; a second
 * call is a mistake and fails.
 *
 * @param <S> the stage returned, so that calls chain
 */
public interface ActionOptions<S> {

    /**
     * One parameter. {@code value} is a string (may be a {@code {{ }}} template), number, boolean, {@code null},
     * a {@link java.util.List} or {@link Map} of those (see {@link dev.runbook.dsl.Runbooks#map} and
     * {@link dev.runbook.dsl.Runbooks#list}), or a {@link dev.runbook.core.model.ParamValue}.
     *
     * @throws RunbookDefinitionException for a blank or repeated key or a value of another type
     */
    S param(String key, Object value);

    /** Several parameters, in the map's order; the same rules as {@link #param(String, Object)}. */
    S params(Map<String, ?> params);

    /** The variable that receives the action's output for later steps; must be an identifier. */
    S outputVar(String name);

    /** Run the step only when this expression holds. */
    S when(String condition);

    /**
     * Attempt the step {@code attempts} times in all, as YAML's {@code retry: N}: {@link RetryPolicy#attempts}
     * (1 s backoff, doubling, capped at 30 s).
     */
    S retry(int attempts);

    /**
     * Attempt the step {@code attempts} times in all, as YAML's {@code retry: {attempts: N, backoff: B}}:
     * {@link RetryPolicy#of} (exponential from {@code backoff}, doubling, capped at 30 s or {@code backoff} if larger).
     */
    S retry(int attempts, Duration backoff);

    /**
     * Any retry policy, as YAML's {@code retry: {attempts, backoff, multiplier, max_backoff}}, for instance
     * {@code RetryPolicy.of(5, Duration.ofSeconds(2)).withMultiplier(3).withMaxBackoff(Duration.ofMinutes(1))} or
     * {@link RetryPolicy#fixed} ({@code multiplier: 1}).
     */
    S retry(RetryPolicy policy);

    /** Limit for one attempt; must be positive. */
    S timeout(Duration timeout);

    /** A condition over the step's result that must hold, or the step fails ({@code new_failures == 0}). */
    S expect(String condition);

    /** What a failure does; the default is {@link OnFailure#ROLLBACK}. */
    S onFailure(OnFailure onFailure);

    /** Declares the step safe to run again after it may have partly run (YAML {@code idempotent: true}). */
    S idempotent();
}
