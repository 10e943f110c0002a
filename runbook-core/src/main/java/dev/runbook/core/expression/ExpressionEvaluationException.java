package dev.runbook.core.expression;

/**
 * A failure while evaluating a compiled expression or rendering a template: navigation through
 * {@code null}, a value of the wrong type, a helper that rejected its argument, a condition that
 * did not produce a boolean. The message names the source text.
 */
public class ExpressionEvaluationException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final int MAX_SOURCE_IN_MESSAGE = 300;

  private final String source;
  private final String reason;

  /**
   * Creates an evaluation failure.
   *
   * @param source the expression or template text being evaluated
   * @param reason what went wrong
   * @param cause the underlying exception, may be {@code null}
   */
  public ExpressionEvaluationException(String source, String reason, Throwable cause) {
    super(reason + " while evaluating '" + abbreviate(source) + "'", cause);
    this.source = source;
    this.reason = reason;
  }

  /**
   * Creates an evaluation failure without a cause.
   *
   * @param source the expression or template text being evaluated
   * @param reason what went wrong
   */
  public ExpressionEvaluationException(String source, String reason) {
    this(source, reason, null);
  }

  /**
   * The expression or template text whose evaluation failed.
   *
   * @return the source text
   */
  public String source() {
    return source;
  }

  /**
   * What went wrong, without the source text.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_SOURCE_IN_MESSAGE ? s : s.substring(0, MAX_SOURCE_IN_MESSAGE) + "...";
  }
}
