package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.ExpressionEvaluationException;
import dev.runbook.core.expression.ExpressionException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.mvel2.MVEL;
import org.mvel2.ParserContext;
import org.mvel2.integration.impl.MapVariableResolverFactory;

/**
 * Runs a sandbox-checked expression compiled once by MVEL. Each call gets a fresh variable
 * factory holding read-only copies of the referenced roots, so calls are independent and can run
 * concurrently.
 */
final class MvelEvaluator implements Evaluator {

  private final Serializable compiled;
  private final Set<String> roots;
  private final String sourceForErrors;

  private MvelEvaluator(Serializable compiled, Set<String> roots, String sourceForErrors) {
    this.compiled = compiled;
    this.roots = roots;
    this.sourceForErrors = sourceForErrors;
  }

  static MvelEvaluator compile(String mvelSource, Set<String> roots, FunctionTable functions,
      String sourceForErrors, String fullSource, int offset) {
    try {
      ParserContext context = new ParserContext(functions.newParserConfiguration(mvelSource));
      Serializable compiled = MVEL.compileExpression(mvelSource, context);
      return new MvelEvaluator(compiled, roots, sourceForErrors);
    } catch (RuntimeException | StackOverflowError e) {
      throw new ExpressionException("cannot compile: " + describe(e), fullSource, offset, e);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object evaluate(Map<String, ?> variables) {
    if (SafeCopy.isFrozen(variables)) {
      // Already a read-only deep copy (Values.freezeVariables): nothing to copy per evaluation.
      try {
        return MVEL.executeExpression(compiled, new MapVariableResolverFactory((Map<String, Object>) variables));
      } catch (ExpressionEvaluationException e) {
        throw e;
      } catch (RuntimeException | StackOverflowError e) {
        throw new ExpressionEvaluationException(sourceForErrors, describe(e), e);
      }
    }
    Map<String, Object> scope = new HashMap<>(Math.max(4, roots.size() * 2));
    try {
      for (String root : roots) {
        scope.put(root, SafeCopy.copy(variables == null ? null : variables.get(root)));
      }
      return MVEL.executeExpression(compiled, new MapVariableResolverFactory(scope));
    } catch (ExpressionEvaluationException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new ExpressionEvaluationException(sourceForErrors, describe(e), e);
    }
  }

  /**
   * A one-line description of an exception from MVEL or a helper.
   *
   * @param e the exception
   * @return the description
   */
  static String describe(Throwable e) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HelperException) {
        return t.getMessage();
      }
      root = t;
    }
    String top = firstLine(e);
    if (root != e) {
      String rootText = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + firstLine(root));
      if (!top.contains(rootText)) {
        top = top + " (caused by " + rootText + ")";
      }
    }
    return top;
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    m = m.strip();
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl).strip();
    }
    if (m.startsWith("[Error: ") && m.endsWith("]")) {
      m = m.substring(8, m.length() - 1);
    }
    // MVEL names our internal map class when a key is absent: say what a runbook author needs to know
    var missing = java.util.regex.Pattern.compile("could not access: ([\\w]+); in class: \\S*FrozenMap.*").matcher(m);
    if (missing.matches()) {
      return "no value named '" + missing.group(1) + "' (use .? or default(...) for optional values)";
    }
    return m;
  }
}
