package dev.runbook.core.expression.internal;

import java.util.Map;

/** Evaluates one checked expression against root variables. */
interface Evaluator {

  /**
   * Evaluates.
   *
   * @param variables root variables (may be null: treated as empty)
   * @return the value
   */
  Object evaluate(Map<String, ?> variables);
}
