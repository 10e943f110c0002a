package dev.runbook.core.expression;

import java.util.Objects;

/**
 * An expression names a root variable that is not among the allowed ones. Loaders use {@link #name()} to
 * tell a typo of a known name from a value the host application is to supply.
 */
public class UnknownVariableException extends SandboxViolationException {

  private static final long serialVersionUID = 1L;

  private final String name;

  /**
   * Creates the exception.
   *
   * @param reason what is wrong, without location
   * @param source the full expression or template text
   * @param offset 0-based offset of the name in {@code source}
   * @param name the unknown variable
   */
  public UnknownVariableException(String reason, String source, int offset, String name) {
    super(reason, source, offset);
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * The unknown variable's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }
}
