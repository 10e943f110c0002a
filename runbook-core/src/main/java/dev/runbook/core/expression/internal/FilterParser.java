package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.expression.SandboxViolationException;
import dev.runbook.core.expression.UnknownVariableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the filters of a template block ({@code path | filter | filter(arg, ...)}): composes them into one
 * expression to check, and finds the pipelines simple enough to run without a tree. Apart from the
 * {@link TemplateParser} because filter syntax is a language of its own, with its own limit.
 */
final class FilterParser {

  /** Maximum number of filters in one block. */
  public static final int MAX_FILTERS = 16;

  private FilterParser() {}

  /**
   * A pipeline {@code path | filter | filter(literal, ...)} that runs without building a tree: the path is walked
   * and the helpers called directly, or null when the block is anything else.
   */
  static PipelineEvaluator.Spec pipeline(String s, int from, int to, Set<String> allowedRoots,
      FunctionTable functions) {
    List<Integer> pipes = splitTopLevel(s, from, to, '|');
    if (pipes.isEmpty()) {
      return null;
    }
    Sandbox.Checked head = Sandbox.check(s, from, pipes.get(0), allowedRoots, functions, false, Sandbox.MAX_LENGTH);
    if (head.path() == null) {
      return null;
    }
    List<PipelineEvaluator.Step> steps = new ArrayList<>();
    for (int k = 0; k < pipes.size(); k++) {
      int segFrom = pipes.get(k) + 1;
      int segTo = k + 1 < pipes.size() ? pipes.get(k + 1) : to;
      String seg = s.substring(segFrom, segTo).strip();
      int paren = seg.indexOf('(');
      String name = paren < 0 ? seg : seg.substring(0, paren).strip();
      List<Object> args = new ArrayList<>();
      if (paren >= 0) {
        String inner = seg.substring(paren + 1, seg.lastIndexOf(')'));
        if (!inner.isBlank()) {
          int base = segFrom + (s.substring(segFrom, segTo).indexOf('(')) + 1;
          int end = base + inner.length();
          int last = base;
          List<Integer> commas = splitTopLevel(s, base, end, ',');
          commas.add(end);
          for (int c : commas) {
            Object lit = literal(s.substring(last, c).strip());
            if (lit == null) {
              return null;
            }
            args.add(lit);
            last = c + 1;
          }
        }
      }
      java.util.Optional<java.lang.reflect.Method> m = functions.method(name, args.size() + 1);
      if (m.isEmpty()) {
        return null;
      }
      steps.add(new PipelineEvaluator.Step(m.get(), args.toArray()));
    }
    return new PipelineEvaluator.Spec(head.path(), steps);
  }

  /** A number or a quoted string without escapes, or null for anything else. */
  private static Object literal(String t) {
    if (t.matches("-?\\d{1,18}")) {
      return Long.parseLong(t);
    }
    if (t.matches("-?\\d{1,18}\\.\\d{1,18}")) {
      return Double.parseDouble(t);
    }
    if (t.length() >= 2 && (t.charAt(0) == '\'' || t.charAt(0) == '"') && t.charAt(t.length() - 1) == t.charAt(0)
        && t.indexOf('\\') < 0 && t.indexOf(t.charAt(0), 1) == t.length() - 1) {
      return t.substring(1, t.length() - 1);
    }
    return null;
  }

  static Sandbox.Checked compileBlock(String s, int from, int to, Set<String> allowedRoots,
      FunctionTable functions) {
    List<Integer> pipes = splitTopLevel(s, from, to, '|');
    if (pipes.isEmpty()) {
      return Sandbox.check(s, from, to, allowedRoots, functions, false, Sandbox.MAX_LENGTH);
    }
    if (pipes.size() > MAX_FILTERS) {
      throw new SandboxViolationException("more than " + MAX_FILTERS + " filters", s, pipes.get(MAX_FILTERS));
    }
    int headEnd = pipes.get(0);
    if (s.substring(from, headEnd).isBlank()) {
      throw new ExpressionException("missing expression before '|'", s, headEnd);
    }
    Sandbox.check(s, from, headEnd, allowedRoots, functions, false, Sandbox.MAX_LENGTH);
    String composed = s.substring(from, headEnd).strip();
    for (int k = 0; k < pipes.size(); k++) {
      int segFrom = pipes.get(k) + 1;
      int segTo = k + 1 < pipes.size() ? pipes.get(k + 1) : to;
      composed = applyFilter(s, segFrom, segTo, composed, allowedRoots, functions);
    }
    try {
      return Sandbox.check(composed, 0, composed.length(), allowedRoots, functions, false, 2 * Sandbox.MAX_LENGTH);
    } catch (UnknownVariableException e) {
      throw new UnknownVariableException(e.reason(), s, from, e.name());
    } catch (SandboxViolationException e) {
      throw new SandboxViolationException(e.reason(), s, from);
    } catch (ExpressionException e) {
      throw new ExpressionException(e.reason(), s, from);
    }
  }

  private static String applyFilter(String s, int from, int to, String input, Set<String> allowedRoots,
      FunctionTable functions) {
    int i = from;
    while (i < to && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    int nameStart = i;
    while (i < to && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_') && s.charAt(i) < 128) {
      i++;
    }
    String name = s.substring(nameStart, i);
    if (name.isEmpty() || !Sandbox.isIdentifier(name)) {
      throw new ExpressionException("expected a filter name after '|'", s, name.isEmpty() ? from - 1 : nameStart);
    }
    if (!functions.has(name)) {
      throw new ExpressionException("unknown filter '" + name + "' (known filters: "
          + String.join(", ", functions.names()) + ")" + Sandbox.suggestion(name, functions.names()), s, nameStart);
    }
    while (i < to && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    String args = "";
    int argCount = 0;
    if (i < to) {
      if (s.charAt(i) != '(') {
        throw new ExpressionException("unexpected '" + s.charAt(i) + "' after filter '" + name + "'", s, i);
      }
      int close = matchingParen(s, i, to);
      int after = close + 1;
      while (after < to && Character.isWhitespace(s.charAt(after))) {
        after++;
      }
      if (after < to) {
        throw new ExpressionException("unexpected text after filter '" + name + "(...)'", s, after);
      }
      if (!s.substring(i + 1, close).isBlank()) {
        Sandbox.check(s, i + 1, close, allowedRoots, functions, true, Sandbox.MAX_LENGTH);
        args = s.substring(i + 1, close).strip();
        argCount = splitTopLevel(s, i + 1, close, ',').size() + 1;
      }
    }
    if (functions.method(name, argCount + 1).isEmpty()) {
      throw new ExpressionException("filter '" + name + "' cannot take " + argCount + " extra argument(s)",
          s, nameStart);
    }
    return name + "(" + input + (args.isEmpty() ? "" : ", " + args) + ")";
  }

  private static int matchingParen(String s, int open, int to) {
    int depth = 0;
    for (int i = open; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        i = TemplateParser.literalEnd(s, i, to);
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    throw new ExpressionException("unclosed '('", s, open);
  }

  /**
   * Offsets of top-level separators in {@code s[from, to)}: outside string literals, parentheses
   * and brackets. For {@code '|'}, a doubled {@code "||"} (logical or) is not a separator.
   */
  private static List<Integer> splitTopLevel(String s, int from, int to, char sep) {
    List<Integer> out = new ArrayList<>();
    int depth = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        i = TemplateParser.literalEnd(s, i, to);
      } else if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        depth--;
      } else if (c == sep && depth == 0) {
        if (sep == '|' && i + 1 < to && s.charAt(i + 1) == '|') {
          i++;
        } else {
          out.add(i);
        }
      }
    }
    return out;
  }
}
