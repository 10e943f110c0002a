package dev.runbook.core.expression.internal;

/**
 * A value that does not fit an operation (navigation through null, a missing key, arithmetic on text...). Turned
 * into an {@link dev.runbook.core.expression.ExpressionEvaluationException} naming the source; no stack trace, as
 * conditions fail this way routinely.
 */
final class EvaluationFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  EvaluationFailure(String message) {
    super(message, null, false, false);
  }
}
