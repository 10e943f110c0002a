package dev.runbook.core.expression.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The dotted member paths an admitted expression reads from its root variables, and which of them has no value. */
final class MemberPaths {

  private MemberPaths() {}

  /** Paths from each root reference, up to the first index, call or computed step. */
  static Set<List<String>> of(Sandbox.Checked checked) {
    List<Sandbox.Token> t = checked.tokens();
    Set<List<String>> out = new LinkedHashSet<>();
    for (int i = 0; i < t.size(); i++) {
      Sandbox.Token tok = t.get(i);
      if (tok.kind() != Sandbox.Kind.IDENT || !checked.roots().contains(tok.text())
          || (i > 0 && isDot(t.get(i - 1))) || isCall(t, i)) {
        continue;
      }
      List<String> segments = new ArrayList<>();
      segments.add(tok.text());
      int j = i + 1;
      // a member followed by '(' is a method of the value, not a field of the structure
      while (j + 1 < t.size() && isDot(t.get(j)) && t.get(j + 1).kind() == Sandbox.Kind.IDENT && !isCall(t, j + 1)) {
        segments.add(t.get(j + 1).text());
        j += 2;
      }
      out.add(List.copyOf(segments));
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * The first of these paths that leads to nothing in {@code variables}, up to the missing segment
   * ({@code incident.resource.controller}), or null when each path reaches a value or a non-map.
   */
  static String firstMissing(Set<List<String>> paths, Map<String, ?> variables) {
    for (List<String> path : paths) {
      Object current = variables == null ? null : variables.get(path.get(0));
      int i = 1;
      while (current instanceof Map<?, ?> m && i < path.size()) {
        current = m.get(path.get(i));
        i++;
      }
      if (current == null) {
        return String.join(".", path.subList(0, i));
      }
    }
    return null;
  }

  private static boolean isDot(Sandbox.Token t) {
    return t.kind() == Sandbox.Kind.DOT || t.kind() == Sandbox.Kind.SAFE_DOT;
  }

  private static boolean isCall(List<Sandbox.Token> t, int i) {
    return i + 1 < t.size() && t.get(i + 1).kind() == Sandbox.Kind.LPAREN;
  }
}
