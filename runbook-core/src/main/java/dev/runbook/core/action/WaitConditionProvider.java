package dev.runbook.core.action;

import java.util.Optional;

/**
 * Turns the text of a {@code wait} step's {@code condition} parameter into a {@link WaitCondition}.
 * Found through {@link java.util.ServiceLoader} on the thread context class loader (list the
 * implementation in {@code META-INF/services/dev.runbook.core.action.WaitConditionProvider}; it needs a
 * public no-argument constructor) or registered with
 * {@code BuiltinActionsConfig.custom().waitConditionProvider(...)}.
 *
 * <p>Providers are asked in turn; the first that understands the text wins. The {@code runbook-k8s}
 * module, for instance, understands {@code pod/NAME ready}, {@code deployment/NAME available} and
 * {@code node/NAME ready}. Implementations are thread-safe.
 */
public interface WaitConditionProvider {

    /**
     * The condition this text describes, or empty when this provider does not understand it.
     *
     * @throws IllegalArgumentException when the text is meant for this provider but malformed (for instance
     *                                  {@code pod/web-1 redy}); the message should say what is accepted
     */
    Optional<WaitCondition> parse(String condition);
}
