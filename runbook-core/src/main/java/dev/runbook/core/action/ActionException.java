package dev.runbook.core.action;

/** A failure an action reports on purpose; {@code retryable} false tells the engine not to retry. */
public class ActionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public ActionException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public ActionException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A failure worth retrying (a timeout, a conflict). */
    public static ActionException retryable(String message) {
        return new ActionException(message, true);
    }

    /** A failure that will not go away by retrying (a bad parameter, a refused request). */
    public static ActionException permanent(String message) {
        return new ActionException(message, false);
    }

    /** Whether a retry may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
