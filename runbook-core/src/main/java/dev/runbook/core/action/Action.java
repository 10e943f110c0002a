package dev.runbook.core.action;

import java.util.Set;

/**
 * Something a runbook step can do: read a resource, patch it, call a webhook. Implementations are
 * stateless and thread-safe; the engine calls {@link #execute} from many executions at once.
 *
 * <p>Dry run: when {@link ActionContext#dryRun()} is true a {@linkplain #mutating() mutating} action
 * must change nothing and report what it would do and which resources it would touch. Read-only
 * actions run normally in a dry run, so later steps see real values.
 */
public interface Action {

    /** The name runbooks use, for instance {@code kubectl_patch}. */
    String name();

    /** Other names for the same action, for instance {@code k8s.patch}. */
    default Set<String> aliases() {
        return Set.of();
    }

    /** One line for the action reference. */
    String description();

    /** The parameters it accepts. */
    ParamSchema schema();

    /** Whether it changes anything outside the engine. */
    boolean mutating();

    /**
     * Whether it honours {@link ActionContext#dryRun()}. A mutating action that does not is never called
     * during a dry run; the engine records the step as skipped instead.
     */
    default boolean supportsDryRun() {
        return true;
    }

    /**
     * Whether running it again after a failed or timed-out attempt is safe (default true). The engine makes a
     * single attempt of an action that says no, whatever the step's {@code retry}, and logs why. An action that
     * keeps its retries safe with {@link ActionContext#fixedAtFirstAttempt} should say yes.
     */
    default boolean retrySafe() {
        return true;
    }

    /**
     * Whether it only does bounded work in memory (formats a message, outputs or checks a value) and can neither
     * block nor hang (default false). The engine then runs it on the execution's own thread instead of handing it
     * to an attempt thread, which saves a thread hand-off per step; no timeout can stop such an attempt, so an
     * action that does I/O, waits, takes locks or calls host code must keep the default.
     */
    default boolean inMemory() {
        return false;
    }

    /**
     * The resources a call with these parameters would change, known before it runs (for instance the
     * Deployment named by {@code kind} and {@code name}). When no dry run reported what a step touches, the
     * engine locks these before the step's first attempt, so two executions never change one resource at once.
     * Default: none declared.
     *
     * @param params   the rendered, converted parameters
     * @param incident the incident handled
     */
    default java.util.List<TouchedResource> declaredTargets(java.util.Map<String, Object> params,
                                                     dev.runbook.core.model.Incident incident) {
        return java.util.List.of();
    }

    /**
     * Runs the action.
     *
     * @return its output and the resources it touched (or would touch, in a dry run)
     * @throws Exception any failure; {@link ActionException#retryable()} false stops retries
     */
    ActionResult execute(ActionContext context) throws Exception;
}
