package dev.runbook.core.expression;

/** Static helpers about template text. */
public final class Templates {

  private Templates() {}

  /**
   * Whether a string contains template markup, i.e. the opening delimiter <code>&#123;&#123;</code>.
   *
   * @param s the text to inspect, may be {@code null}
   * @return {@code true} if {@code s} contains the delimiter
   */
  public static boolean containsTemplate(String s) {
    return s != null && s.contains("{{");
  }
}
