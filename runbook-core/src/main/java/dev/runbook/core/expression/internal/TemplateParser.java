package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.expression.SandboxViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the {@code {{ }}} blocks of a template and checks each (its filters through {@link FilterParser}), or takes
 * it from the {@link BlockCache}. Apart from the {@link Compiler} so that the scanning of the text, with its limits,
 * reads on its own.
 */
final class TemplateParser {

  /** Maximum number of {@code {{ }}} blocks in one template. */
  public static final int MAX_BLOCKS = 1_000;

  private TemplateParser() {}

  /** One {@code {{ }}} block: offsets of the braces and of the checked (composed) expression. */
  record Block(int start, int end, int exprFrom, Sandbox.Checked checked, PipelineEvaluator.Spec pipeline,
      CompiledBlock cached) {}

  static List<Block> parseTemplate(String s, Set<String> allowedRoots, FunctionTable functions) {
    return parseTemplate(s, allowedRoots, functions, new BlockCache(0));
  }

  /** The blocks of a template, each checked (with {@code allowedRoots} null: against no roots) or taken from the cache. */
  static List<Block> parseTemplate(String s, Set<String> allowedRoots, FunctionTable functions,
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
        Sandbox.Checked checked = FilterParser.compileBlock(s, from, close, allowedRoots, functions);
        blocks.add(new Block(open, close + 2, from, checked,
            FilterParser.pipeline(s, from, close, allowedRoots, functions), null));
      }
      pos = close + 2;
    }
  }

  /** Whether {@code s} holds only white space from {@code from} to {@code to}, as {@link String#isBlank()}, without a copy. */
  static boolean isBlank(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Offset of the {@code }}} closing the block opened at {@code open}, skipping string literals. */
  private static int findClose(String s, int open) {
    for (int i = open + 2; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        int end = literalEnd(s, i, s.length());
        if (end >= s.length()) {
          throw new ExpressionException("unterminated string literal", s, i);
        }
        i = end;
      } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
        return i;
      }
    }
    throw new ExpressionException("unclosed '{{'", s, open);
  }

  /**
   * Offset of the quote closing the string literal that opens at {@code open} (a backslash escapes the next
   * character), or {@code to} when it is not closed before {@code to}. The scans that only skip literals use it; the
   * tokenizer reads them strictly.
   */
  static int literalEnd(String s, int open, int to) {
    char quote = s.charAt(open);
    for (int i = open + 1; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == quote) {
        return i;
      }
    }
    return to;
  }
}
