package dev.runbook.core.expression;

/**
 * The sandbox refused an expression: it uses a character, keyword, variable, function, method or
 * property outside the allow-list, or exceeds the length or nesting limits. The reason names the
 * offending token and {@link #offset()} points at it.
 */
public class SandboxViolationException extends ExpressionException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates a sandbox refusal.
   *
   * @param reason what was refused and why, without location
   * @param source the full expression or template text
   * @param offset 0-based offset of the refused token in {@code source}, or -1
   */
  public SandboxViolationException(String reason, String source, int offset) {
    super(reason, source, offset);
  }
}
