package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.expression.SandboxViolationException;
import dev.runbook.core.internal.Suggestions;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The lexical allow-list every expression passes before it is compiled ({@link Parser}).
 *
 * <p>The text is tokenized with a tokenizer that only knows plain string literals, number literals,
 * identifiers and a fixed set of operators; anything else (assignment, blocks, statement
 * separators, comments, {@code @ # $ \ ~ `}, bit operators, {@code **}) is refused. A small
 * grammar pass then checks every identifier: bare identifiers must be allowed root variables,
 * {@code true false null}, the {@code contains} operator, or a registered helper followed by
 * {@code (}; names after {@code .} / {@code .?} are properties (never containing "class") or calls
 * to a short list of harmless methods. Operands and operators must alternate, which excludes
 * MVEL's declaration and statement forms.
 *
 * <p>The tokenizer is {@link SandboxTokenizer}, the name policy (keywords, denied properties, allowed methods)
 * {@link NamePolicy} and the grammar pass {@link SandboxGrammar}; this class is their one entry point.
 */
public final class Sandbox {

  /** Maximum length of one expression. */
  public static final int MAX_LENGTH = 2000;
  /** Maximum nesting of parentheses and brackets. */
  public static final int MAX_DEPTH = 32;
  /** Maximum length of a number literal. */
  public static final int MAX_NUMBER_LENGTH = 24;

  /** Methods that may be called after a dot. */
  public static final List<String> ALLOWED_METHODS = List.of(
      "length", "isEmpty", "contains", "startsWith", "endsWith", "toLowerCase", "toUpperCase",
      "trim", "substring", "indexOf", "equals", "get", "containsKey", "size");

  private Sandbox() {}

  /** Token kinds. */
  enum Kind { IDENT, NUMBER, STRING, OP, LPAREN, RPAREN, LBRACK, RBRACK, COMMA, DOT, SAFE_DOT, QUESTION, COLON }

  /** One token; offsets are absolute in the full source. */
  record Token(Kind kind, String text, int start, int end) {}

  /**
   * The outcome of a successful check.
   *
   * @param source the text the tokens' offsets point into
   * @param tokens the admitted tokens, for {@link Parser}
   * @param roots root variable names referenced, in order of appearance
   * @param path the segments if the expression is a plain dotted path of identifiers, else null
   */
  public record Checked(String source, List<Token> tokens, Set<String> roots, List<String> path) {}

  /**
   * Checks {@code fullSource[from, to)}.
   *
   * @param fullSource the whole text (for messages and offsets)
   * @param from start offset (inclusive)
   * @param to end offset (exclusive)
   * @param allowedRoots allowed root variables, or null to accept any root name
   * @param functions registered helpers
   * @param allowTopLevelComma whether a comma-separated list is allowed at top level
   * @param maxLength maximum length of the region
   * @return the check result
   * @throws SandboxViolationException if the sandbox refuses the text
   * @throws ExpressionException on a syntax error
   */
  public static Checked check(String fullSource, int from, int to, Set<String> allowedRoots,
      FunctionTable functions, boolean allowTopLevelComma, int maxLength) {
    if (to - from > maxLength) {
      throw new SandboxViolationException("expression is " + (to - from)
          + " characters long; at most " + maxLength + " are allowed", fullSource, from + maxLength);
    }
    List<Token> tokens = SandboxTokenizer.tokenize(fullSource, from, to);
    if (tokens.isEmpty()) {
      throw new ExpressionException("empty expression", fullSource, from);
    }
    return SandboxGrammar.check(fullSource, from, to, tokens, allowedRoots, functions, allowTopLevelComma);
  }

  /**
   * A "did you mean" suffix naming the closest candidate if it is close enough, else "" (one rule for every
   * module: {@link dev.runbook.core.internal.Suggestions}).
   *
   * @param name the unknown name
   * @param candidates known names
   * @return the suffix
   */
  public static String suggestion(String name, Collection<String> candidates) {
    return Suggestions.didYouMean(name, candidates);
  }

  /**
   * Whether a name is a plain identifier ({@code [A-Za-z_][A-Za-z0-9_]*}).
   *
   * @param name the name
   * @return true if it is
   */
  public static boolean isIdentifier(String name) {
    if (name == null || name.isEmpty() || !SandboxTokenizer.identStart(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!SandboxTokenizer.identPart(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a name is reserved: see {@link ReservedNames}.
   *
   * @param name the name
   * @return true if it cannot be used as a root variable or helper name
   */
  public static boolean isReserved(String name) {
    return ReservedNames.problem(name).isPresent();
  }

  static SandboxViolationException violation(String reason, String s, int offset) {
    return new SandboxViolationException(reason, s, offset);
  }
}
