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
     * Runs the action.
     *
     * @return its output and the resources it touched (or would touch, in a dry run)
     * @throws Exception any failure; {@link ActionException#retryable()} false stops retries
     */
    ActionResult execute(ActionContext context) throws Exception;
}
