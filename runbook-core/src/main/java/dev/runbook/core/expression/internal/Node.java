package dev.runbook.core.expression.internal;

import java.util.Map;

/**
 * One compiled piece of an expression: a closure over its operands, evaluated against the root variables. The
 * tree is built once by {@link Parser} and is immutable, so it can be evaluated concurrently.
 */
@FunctionalInterface
interface Node {

  /**
   * Evaluates.
   *
   * @param scope root variables, already read-only copies
   * @return a value: a Map, List, String, Number, Boolean or null
   * @throws EvaluationFailure if a value does not fit the operation
   */
  Object eval(Map<String, ?> scope);
}
