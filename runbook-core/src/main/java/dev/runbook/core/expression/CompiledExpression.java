package dev.runbook.core.expression;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An expression that passed the sandbox and was compiled once; it can be evaluated many times,
 * concurrently, with different variables. Evaluation never mutates the supplied variables.
 */
public interface CompiledExpression {

  /**
   * The expression text as written.
   *
   * @return the source, never {@code null}
   */
  String source();

  /**
   * The root variable names the expression references.
   *
   * @return an unmodifiable set, never {@code null}
   */
  Set<String> referencedRoots();

  /**
   * The member paths the expression reads from root variables, each as its segments from the root up to the
   * first index, call or computed step: {@code incident.resource.kind == 'Pod'} gives
   * {@code [incident, resource, kind]}.
   *
   * @return an unmodifiable set, never {@code null}
   */
  Set<List<String>> referencedPaths();

  /**
   * Evaluates the expression. Referenced roots missing from {@code variables} evaluate as
   * {@code null}.
   *
   * @param variables the root variables; only the referenced ones are read (and copied)
   * @return the value, may be {@code null}
   * @throws ExpressionEvaluationException if evaluation fails
   */
  Object evaluate(Map<String, ?> variables);

  /**
   * Evaluates the expression as a condition.
   *
   * @param variables the root variables
   * @return the boolean result
   * @throws ExpressionEvaluationException if evaluation fails or the result is not a
   *     {@link Boolean}
   */
  boolean test(Map<String, ?> variables);
}
