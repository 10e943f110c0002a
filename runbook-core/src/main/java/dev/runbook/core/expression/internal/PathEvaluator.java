package dev.runbook.core.expression.internal;

import java.util.List;
import java.util.Map;

/**
 * Fast path for a plain dotted path of identifiers ({@code incident.resource.name}): walks maps
 * directly. A missing step yields {@code null}. If an intermediate value is neither a map nor null
 * (e.g. a string), evaluation falls back to the compiled tree, which reports the problem.
 */
final class PathEvaluator implements Evaluator {

  private final String[] path;
  private final Evaluator fallback;

  PathEvaluator(List<String> path, Evaluator fallback) {
    this.path = path.toArray(new String[0]);
    this.fallback = fallback;
  }

  @Override
  public Object evaluate(Map<String, ?> variables) {
    if (variables == null) {
      return null;
    }
    Object current = variables.get(path[0]);
    for (int i = 1; i < path.length; i++) {
      if (current == null) {
        return null;
      }
      if (current instanceof Map<?, ?> m) {
        current = m.get(path[i]);
      } else {
        return fallback.evaluate(variables);
      }
    }
    return current == null ? null : SafeCopy.copy(current);
  }
}
