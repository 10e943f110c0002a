package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.ExpressionEvaluationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs a compiled expression tree. Each call reads read-only copies of the referenced roots (or the variables as
 * they are when the caller froze them already), so calls are independent and can run concurrently.
 */
final class TreeEvaluator implements Evaluator {

  private final Node root;
  private final String[] roots;
  private final String sourceForErrors;

  TreeEvaluator(Node root, Set<String> roots, String sourceForErrors) {
    this.root = root;
    this.roots = roots.toArray(new String[0]);
    this.sourceForErrors = sourceForErrors;
  }

  @Override
  public Object evaluate(Map<String, ?> variables) {
    try {
      if (SafeCopy.isFrozen(variables)) {
        // Already a read-only deep copy (Values.freezeVariables): nothing to copy per evaluation.
        return root.eval(variables);
      }
      Map<String, Object> scope = new HashMap<>(Math.max(4, roots.length * 2));
      for (String r : roots) {
        scope.put(r, SafeCopy.copy(variables == null ? null : variables.get(r)));
      }
      return root.eval(scope);
    } catch (ExpressionEvaluationException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new ExpressionEvaluationException(sourceForErrors, describe(e), e);
    }
  }

  /**
   * A one-line description of a failure of an expression or a helper.
   *
   * @param e the exception
   * @return the description
   */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HelperException || t instanceof EvaluationFailure) {
        return t.getMessage();
      }
    }
    String m = e.getMessage();
    String type = e.getClass().getSimpleName();
    if (m == null || m.isBlank()) {
      return type;
    }
    int nl = m.indexOf('\n');
    return type + ": " + (nl >= 0 ? m.substring(0, nl) : m).strip();
  }
}
