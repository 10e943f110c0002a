package dev.runbook.core.action;

import java.time.Duration;
import java.util.Optional;

/**
 * Something the built-in {@code wait} action can wait for, such as {@code pod/web-1 ready} or
 * {@code deployment/web available}. Obtained from a {@link WaitConditionProvider} for the text a
 * runbook gives in {@code wait}'s {@code condition} parameter; a new instance is parsed for every wait,
 * so an implementation may keep state (what it saw last) between calls.
 *
 * <p>Integrations implement it: the {@code runbook-k8s} module, for instance, provides conditions on
 * pods, deployments and nodes. The {@code wait} action calls {@link #awaitMet} repeatedly, sleeping
 * {@code poll_interval} through {@link ActionContext#sleep} between calls, until it returns true or the
 * timeout passes. The default {@link #awaitMet} simply asks {@link #isMet} once; an implementation that
 * can watch (a Kubernetes watch, a long poll) may instead block inside {@link #awaitMet} up to the
 * given time and return as soon as the condition holds.
 */
public interface WaitCondition {

    /** The condition for messages and the audit trail, for instance {@code pod/web-1 ready}. */
    String description();

    /**
     * Whether the condition holds now. Must not change anything.
     *
     * @throws Exception when it cannot be checked; an {@link ActionException} that is not retryable ends the
     *                   wait at once, any other exception counts as "not met yet" (the wait keeps polling and
     *                   reports the last such error if it times out)
     */
    boolean isMet(ActionContext context) throws Exception;

    /**
     * Waits at most {@code maxWait} for the condition, returning whether it holds. The default checks once
     * without waiting; watch-based implementations override it to block until the condition holds or the
     * time is up (they must honour {@link ActionContext#cancelled()} and never wait past {@code maxWait}).
     *
     * @param maxWait the longest this call may block; never negative
     */
    default boolean awaitMet(ActionContext context, Duration maxWait) throws Exception {
        return isMet(context);
    }

    /**
     * What was seen at the last check, for the message when the wait times out, for instance
     * {@code phase Pending, 0/1 containers ready}. Empty by default.
     */
    default Optional<String> lastObserved() {
        return Optional.empty();
    }
}
