package dev.runbook.core.expression;

/**
 * A problem found while compiling an expression or a template: a syntax error, an unknown
 * filter, a wrong number of helper arguments, or (through the subclass
 * {@link SandboxViolationException}) a construct the sandbox refuses.
 *
 * <p>The message has the form {@code reason + " in '" + source + "'"}; {@link #reason()} is the
 * message without location and {@link #offset()} the 0-based character offset in the source the
 * problem was found at, or {@code -1} when no position is known.
 */
public class ExpressionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final int offset;
  private final String reason;

  /**
   * Creates a compile-time exception.
   *
   * @param reason what is wrong, without location
   * @param source the full expression or template text that was being compiled
   * @param offset 0-based offset of the offending character in {@code source}, or -1
   */
  public ExpressionException(String reason, String source, int offset) {
    this(reason, source, offset, null);
  }

  /**
   * Creates a compile-time exception with a cause.
   *
   * @param reason what is wrong, without location
   * @param source the full expression or template text that was being compiled
   * @param offset 0-based offset of the offending character in {@code source}, or -1
   * @param cause the underlying exception, may be {@code null}
   */
  public ExpressionException(String reason, String source, int offset, Throwable cause) {
    super(reason + " in '" + source + "'", cause);
    this.reason = reason;
    this.source = source;
    this.offset = offset;
  }

  /**
   * The expression or template text that failed to compile.
   *
   * @return the source text, never {@code null}
   */
  public String source() {
    return source;
  }

  /**
   * The 0-based character offset in {@link #source()} where the problem was found.
   *
   * @return the offset, or -1 if unknown
   */
  public int offset() {
    return offset;
  }

  /**
   * The description of the problem without location information.
   *
   * @return the reason, never {@code null}
   */
  public String reason() {
    return reason;
  }
}
