package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.ExpressionEvaluationException;
import dev.runbook.core.expression.MissingValueException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code {{ }}} block of a compiled template: its evaluator, the paths it reads and its expression text (for
 * messages). Separate from {@link TemplateImpl} because cached blocks are shared by many templates.
 */
record BlockPart(Evaluator evaluator, Set<List<String>> paths, String expression) {

  /** The value, refusing null: a missing field must not render as nothing (unless its root is not known yet). */
  Object required(String source, Map<String, ?> variables, Set<String> unknownRoots) {
    Object v;
    try {
      v = evaluator.evaluate(variables);
    } catch (ExpressionEvaluationException e) {
      // a helper that met null (base64 of nothing): the missing path is the better message
      String missing = MemberPaths.firstMissing(paths, variables);
      if (missing != null && !unknownRoots.contains(root(missing))) {
        throw new MissingValueException(source, missing);
      }
      throw e;
    }
    if (v == null) {
      String missing = MemberPaths.firstMissing(paths, variables);
      if (missing != null && unknownRoots.contains(root(missing))) {
        return null;
      }
      throw new MissingValueException(source, missing != null ? missing : expression);
    }
    return v;
  }

  private static String root(String path) {
    int dot = path.indexOf('.');
    return dot < 0 ? path : path.substring(0, dot);
  }
}
