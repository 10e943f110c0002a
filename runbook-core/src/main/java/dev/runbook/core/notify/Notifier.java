package dev.runbook.core.notify;

/**
 * Sends a runbook's notifications for one channel type ({@code slack}, {@code webhook}, or one of the
 * host's). Implementations are thread-safe. A failing notifier is logged and recorded; it never
 * changes an execution's outcome.
 */
public interface Notifier {

    /** The channel key runbooks use under {@code notification.on_success}. */
    String channel();

    /**
     * Sends one message.
     *
     * @throws Exception when it could not be delivered
     */
    void send(NotificationMessage message) throws Exception;
}
