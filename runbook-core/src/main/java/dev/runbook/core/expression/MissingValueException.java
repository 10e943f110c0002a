package dev.runbook.core.expression;

import java.util.Objects;

/**
 * A {@code {{ }}} block rendered by {@link CompiledTemplate#renderRequired} had no value: a field the incident
 * lacks (an absent controller, an attribute it does not carry), a step output without that field, an output
 * variable whose step did not run. Naming the missing path lets the caller refuse to act on an empty value.
 */
public class MissingValueException extends ExpressionEvaluationException {

  private static final long serialVersionUID = 1L;

  private final String path;

  /**
   * Creates the failure.
   *
   * @param source the template text
   * @param path the dotted path that had no value (or the block's expression when no path of it is missing)
   */
  public MissingValueException(String source, String path) {
    super(source, "'" + Objects.requireNonNull(path, "path") + "' has no value; write '| default(...)' in the"
        + " template if the step should run without it");
    this.path = path;
  }

  /**
   * The dotted path that had no value, e.g. {@code incident.resource.controller}.
   *
   * @return the path, never {@code null}
   */
  public String path() {
    return path;
  }

  /**
   * The root variable of {@link #path()}, e.g. {@code incident}.
   *
   * @return the first segment of the path
   */
  public String root() {
    int dot = path.indexOf('.');
    return dot < 0 ? path : path.substring(0, dot);
  }
}
