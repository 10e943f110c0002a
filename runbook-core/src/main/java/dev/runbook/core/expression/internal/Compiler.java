package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.expression.CompiledTemplate;
import dev.runbook.core.expression.ExpressionEvaluationException;
import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.expression.SandboxViolationException;
import dev.runbook.core.expression.UnknownVariableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Compiles expressions and templates: sandbox check, then a tree of closures (or the path fast path). */
public final class Compiler {

  /** Maximum length of a whole template. */
  public static final int MAX_TEMPLATE_LENGTH = 200_000;
  /** Maximum number of {@code {{ }}} blocks in one template. */
  public static final int MAX_BLOCKS = 1_000;
  /** Maximum number of filters in one block. */
  public static final int MAX_FILTERS = 16;

  private Compiler() {}

  /**
   * Compiles an expression.
   *
   * @param source expression text
   * @param allowedRoots allowed root variables
   * @param functions helpers
   * @return the compiled expression
   */
  public static CompiledExpression compileExpression(String source, Set<String> allowedRoots, FunctionTable functions) {
    Sandbox.Checked checked = Sandbox.check(source, 0, source.length(), allowedRoots, functions, false, Sandbox.MAX_LENGTH);
    Evaluator evaluator = evaluator(checked, functions, source, source, 0);
    return new ExpressionImpl(source, checked.roots(), MemberPaths.of(checked), evaluator);
  }

  /**
   * Root names referenced by an expression or (if it contains <code>&#123;&#123;</code>) a template, without
   * checking them against allowed roots.
   *
   * @param source text
   * @param functions helpers
   * @return the roots
   */
  public static Set<String> referencedRoots(String source, FunctionTable functions) {
    if (source.contains("{{")) {
      Set<String> roots = new LinkedHashSet<>();
      for (Block b : parseTemplate(source, null, functions)) {
        roots.addAll(b.checked.roots());
      }
      return Collections.unmodifiableSet(roots);
    }
    return Sandbox.check(source, 0, source.length(), null, functions, false, Sandbox.MAX_LENGTH).roots();
  }

  /**
   * Compiles a template.
   *
   * @param source template text
   * @param allowedRoots allowed root variables
   * @param functions helpers
   * @return the compiled template
   */
  public static CompiledTemplate compileTemplate(String source, Set<String> allowedRoots, FunctionTable functions) {
    return compileTemplate(source, allowedRoots, functions, new BlockCache(0));
  }

  /**
   * Compiles a template, taking blocks already compiled from {@code cache} and adding the ones it compiles.
   *
   * @param source template text
   * @param allowedRoots allowed root variables
   * @param functions helpers
   * @param cache blocks compiled before, by the same {@code functions}
   * @return the compiled template
   */
  public static CompiledTemplate compileTemplate(String source, Set<String> allowedRoots, FunctionTable functions,
      BlockCache cache) {
    if (source.length() > MAX_TEMPLATE_LENGTH) {
      throw new SandboxViolationException("template is " + source.length() + " characters long; at most "
          + MAX_TEMPLATE_LENGTH + " are allowed", source, MAX_TEMPLATE_LENGTH);
    }
    List<Block> blocks = parseTemplate(source, allowedRoots, functions, cache);
    List<Object> parts = new ArrayList<>(blocks.size() * 2 + 1);
    CompiledBlock[] compiledBlocks = new CompiledBlock[blocks.size()];
    int n = 0;
    int pos = 0;
    for (Block b : blocks) {
      if (b.start > pos) {
        parts.add(source.substring(pos, b.start));
      }
      CompiledBlock compiled = b.cached;
      if (compiled == null) {
        String blockText = source.substring(b.start, b.end);
        Evaluator e = evaluator(b.checked, functions, blockText, source, b.exprFrom);
        compiled = new CompiledBlock(new BlockPart(b.pipeline == null ? e
            : guarded(new PipelineEvaluator(b.pipeline, e), blockText),
            MemberPaths.of(b.checked), source.substring(b.start + 2, b.end - 2).strip()),
            Collections.unmodifiableSet(b.checked.roots()));
        cache.put(blockText, compiled);
      }
      parts.add(compiled.part());
      compiledBlocks[n++] = compiled;
      pos = b.end;
    }
    if (pos < source.length()) {
      parts.add(source.substring(pos));
    }
    boolean single = blocks.size() == 1
        && isBlank(source, 0, blocks.get(0).start)
        && isBlank(source, blocks.get(0).end, source.length());
    BlockCache.Reads reads = cache.reads(compiledBlocks);
    return new TemplateImpl(source, reads.roots(), reads.paths(), parts, blocks.isEmpty(), single);
  }

  private static Evaluator evaluator(Sandbox.Checked checked, FunctionTable functions, String sourceForErrors,
      String fullSource, int offset) {
    Node tree;
    try {
      tree = Parser.parse(checked.source(), checked.tokens(), checked.roots(), functions);
    } catch (ExpressionException e) {
      if (checked.source().equals(fullSource)) {
        throw e;
      }
      // a template block composed from filters: point at the block, as the sandbox check does
      throw new ExpressionException(e.reason(), fullSource, offset);
    }
    Evaluator full = new TreeEvaluator(tree, checked.roots(), sourceForErrors);
    Evaluator e = checked.path() != null ? new PathEvaluator(checked.path(), full) : full;
    return guarded(e, sourceForErrors);
  }

  /**
   * A pipeline {@code path | filter | filter(literal, ...)} that runs without building a tree: the path is walked
   * and the helpers called directly, or null when the block is anything else.
   */
  private static PipelineEvaluator.Spec pipeline(String s, int from, int to, Set<String> allowedRoots,
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

  private static Evaluator guarded(Evaluator e, String sourceForErrors) {
    return variables -> {
      try {
        return e.evaluate(variables);
      } catch (ExpressionEvaluationException x) {
        throw x;
      } catch (RuntimeException | StackOverflowError x) {
        throw new ExpressionEvaluationException(sourceForErrors, TreeEvaluator.describe(x), x);
      }
    };
  }

  // ------------------------------------------------------------------ template parsing

  /** One {@code {{ }}} block: offsets of the braces and of the checked (composed) expression. */
  private record Block(int start, int end, int exprFrom, Sandbox.Checked checked, PipelineEvaluator.Spec pipeline,
      CompiledBlock cached) {}

  private static List<Block> parseTemplate(String s, Set<String> allowedRoots, FunctionTable functions) {
    return parseTemplate(s, allowedRoots, functions, new BlockCache(0));
  }

  /** The blocks of a template, each checked (with {@code allowedRoots} null: against no roots) or taken from the cache. */
  private static List<Block> parseTemplate(String s, Set<String> allowedRoots, FunctionTable functions,
      BlockCache cache) {
    List<Block> blocks = new ArrayList<>();
    int pos = 0;
    while (true) {
      int open = s.indexOf("{{", pos);
      if (open < 0) {
        return blocks;
      }
      if (blocks.size() >= MAX_BLOCKS) {
        throw new SandboxViolationException("more than " + MAX_BLOCKS + " '{{ }}' blocks", s, open);
      }
      int close = findClose(s, open);
      int from = open + 2;
      if (isBlank(s, from, close)) {
        throw new ExpressionException("empty '{{ }}'", s, open);
      }
      if (close - from > Sandbox.MAX_LENGTH) {
        throw new SandboxViolationException("expression is " + (close - from)
            + " characters long; at most " + Sandbox.MAX_LENGTH + " are allowed", s, from + Sandbox.MAX_LENGTH);
      }
      CompiledBlock hit = allowedRoots == null ? null : cache.get(s.substring(open, close + 2), allowedRoots);
      if (hit != null) {
        blocks.add(new Block(open, close + 2, from, null, null, hit));
      } else {
        Sandbox.Checked checked = compileBlock(s, from, close, allowedRoots, functions);
        blocks.add(new Block(open, close + 2, from, checked, pipeline(s, from, close, allowedRoots, functions), null));
      }
      pos = close + 2;
    }
  }

  /** Whether {@code s} holds only white space from {@code from} to {@code to}, as {@link String#isBlank()}, without a copy. */
  private static boolean isBlank(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Offset of the {@code }}} closing the block opened at {@code open}, skipping string literals. */
  private static int findClose(String s, int open) {
    char quote = 0;
    int quoteAt = -1;
    for (int i = open + 2; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        quoteAt = i;
      } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
        return i;
      }
    }
    if (quote != 0) {
      throw new ExpressionException("unterminated string literal", s, quoteAt);
    }
    throw new ExpressionException("unclosed '{{'", s, open);
  }

  private static Sandbox.Checked compileBlock(String s, int from, int to, Set<String> allowedRoots,
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
    char quote = 0;
    for (int i = open; i < to; i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
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
    char quote = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
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
