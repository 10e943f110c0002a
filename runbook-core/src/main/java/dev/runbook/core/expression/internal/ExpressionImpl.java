package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.expression.ExpressionEvaluationException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled expression: its evaluator and what it reads. The value the {@link Compiler} hands out, kept apart from
 * the compiling so that what runs at execution time is readable on its own.
 */
record ExpressionImpl(String source, Set<String> referencedRoots, Set<List<String>> referencedPaths,
    Evaluator evaluator) implements CompiledExpression {

  @Override
  public Object evaluate(Map<String, ?> variables) {
    return evaluator.evaluate(variables);
  }

  @Override
  public boolean test(Map<String, ?> variables) {
    Object v = evaluator.evaluate(variables);
    if (v instanceof Boolean b) {
      return b;
    }
    throw new ExpressionEvaluationException(source, "condition must produce a boolean but produced "
        + (v == null ? "null" : v.getClass().getSimpleName() + " '" + ValueText.of(v) + "'"));
  }

  @Override
  public String toString() {
    return "CompiledExpression[" + source + "]";
  }
}
