package dev.runbook.core.expression.internal;

/** Thrown by a built-in helper that rejects its arguments; the message is shown to the user. */
public final class HelperException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates a helper failure.
   *
   * @param message what is wrong with the arguments
   */
  public HelperException(String message) {
    super(message);
  }
}
