package dev.runbook.core.expression.internal;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * Fast path for {@code path | filter | filter(literal, ...)}: walks the path through maps and calls each
 * helper directly, as the composed form {@code filter(path, literal)} would. Falls back to the compiled
 * tree (which then reports the problem) when the path meets something other than a map.
 */
final class PipelineEvaluator implements Evaluator {

  /** A helper and its extra (literal) arguments. */
  record Step(Method method, Object[] extraArgs) {}

  /** The path and the filters of a pipeline. */
  record Spec(List<String> path, List<Step> steps) {}

  private final String[] path;
  private final Method[] methods;
  private final Object[][] extra;
  private final Evaluator fallback;

  PipelineEvaluator(Spec spec, Evaluator fallback) {
    this.path = spec.path().toArray(new String[0]);
    this.methods = new Method[spec.steps().size()];
    this.extra = new Object[spec.steps().size()][];
    for (int i = 0; i < methods.length; i++) {
      methods[i] = spec.steps().get(i).method();
      extra[i] = spec.steps().get(i).extraArgs();
    }
    this.fallback = fallback;
  }

  @Override
  public Object evaluate(Map<String, ?> variables) {
    if (variables == null) {
      return fallback.evaluate(null);
    }
    Object current = variables.get(path[0]);
    for (int i = 1; i < path.length && current != null; i++) {
      if (current instanceof Map<?, ?> m) {
        current = m.get(path[i]);
      } else {
        return fallback.evaluate(variables);
      }
    }
    Object value = SafeCopy.copy(current);
    for (int i = 0; i < methods.length; i++) {
      Object[] args = new Object[extra[i].length + 1];
      args[0] = value;
      System.arraycopy(extra[i], 0, args, 1, extra[i].length);
      value = Helpers.invoke(methods[i], args);
    }
    return value;
  }
}
