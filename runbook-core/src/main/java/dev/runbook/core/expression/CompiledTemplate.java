package dev.runbook.core.expression;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A template ({@code literal {{ expr | filter }} literal}) compiled once and rendered many times,
 * concurrently. Rendered values are emitted literally and never re-scanned for markup.
 */
public interface CompiledTemplate {

  /**
   * The template text as written.
   *
   * @return the source, never {@code null}
   */
  String source();

  /**
   * The root variable names referenced by all {@code {{ }}} blocks of the template.
   *
   * @return an unmodifiable set, never {@code null}
   */
  Set<String> referencedRoots();

  /**
   * The member paths the blocks read from root variables, each as its segments from the root up to the first
   * index, call or computed step: {@code {{ incident.resource.name | lower }}} gives
   * {@code [incident, resource, name]}. Lets loaders check paths into known structures such as the incident.
   *
   * @return an unmodifiable set, never {@code null}
   */
  Set<List<String>> referencedPaths();

  /**
   * Whether the template contains no {@code {{ }}} at all.
   *
   * @return {@code true} for plain text
   */
  boolean isLiteral();

  /**
   * Renders the template. A template that is exactly one {@code {{ expr }}} (surrounding
   * whitespace allowed) returns the expression's value with its own type (a number stays a
   * number, a map stays a map, and {@code null} stays {@code null}); any other template returns a
   * {@link String}.
   *
   * @param variables the root variables
   * @return the rendered value
   * @throws ExpressionEvaluationException if an expression fails
   */
  Object render(Map<String, ?> variables);

  /**
   * Renders like {@link #render}, but refuses a {@code {{ }}} block whose value is {@code null}, which is what a
   * missing field gives: the caller would otherwise act on an empty value. {@code | default(...)} gives such a
   * block a value.
   *
   * @param variables the root variables
   * @return the rendered value, never {@code null} for a template with blocks
   * @throws MissingValueException naming the path that had no value
   * @throws ExpressionEvaluationException if an expression fails
   */
  Object renderRequired(Map<String, ?> variables);

  /**
   * Like {@link #renderRequired(Map)}, except that a missing path under one of {@code unknownRoots} renders as
   * {@link #render} does: those variables have no value yet rather than none at all (the output of a step a dry run
   * did not run).
   *
   * @param variables the root variables
   * @param unknownRoots root variables whose values are not known yet
   * @return the rendered value
   * @throws MissingValueException naming the path that had no value
   * @throws ExpressionEvaluationException if an expression fails
   */
  Object renderRequired(Map<String, ?> variables, Set<String> unknownRoots);

  /**
   * Renders the template to text: literals concatenated with the values' text ({@code null}
   * renders as the empty string, decimals without trailing zeros, e.g. {@code 512.0 -> "512"}).
   *
   * @param variables the root variables
   * @return the rendered text, never {@code null}
   * @throws ExpressionEvaluationException if an expression fails
   */
  String renderString(Map<String, ?> variables);
}
