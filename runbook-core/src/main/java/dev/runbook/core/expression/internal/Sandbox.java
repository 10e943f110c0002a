package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.expression.SandboxViolationException;
import dev.runbook.core.expression.UnknownVariableException;
import dev.runbook.core.internal.Suggestions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

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

  static final Set<String> KEYWORDS = Set.of(
      "new", "def", "function", "import", "import_static", "foreach", "for", "while", "do", "until",
      "if", "else", "return", "instanceof", "is", "with", "assert", "isdef", "empty", "var", "this",
      "in", "nil", "switch", "case", "default", "break", "continue", "throw", "try", "catch",
      "finally", "class", "static", "package", "synchronized", "soundslike", "strsim",
      "convertable_to", "modify", "macro", "proto", "typeof", "interface", "super", "void",
      "and", "or", "not");

  private static final Set<String> LITERAL_WORDS = Set.of("true", "false", "null");

  /**
   * Property names refused after a dot (lower-cased; anything containing "class" is refused too):
   * reflective entry points and mutators. Plain data keys with these names stay reachable with
   * an index, e.g. {@code incident['put']}.
   */
  private static final Set<String> DENIED_MEMBERS = Set.of(
      "getclass", "forname", "classloader", "getclassloader", "getruntime", "exec",
      "invoke", "newinstance", "declaredmethods", "getdeclaredmethods", "getdeclaredmethod",
      "getmethod", "getmethods", "declaredfields", "getdeclaredfields", "getdeclaredfield", "getfield",
      "getmodule", "protectiondomain", "getprotectiondomain", "unsafe", "wait", "notify", "notifyall",
      "finalize", "clone", "lookup", "setaccessible", "put", "remove", "clear", "add", "set", "putall",
      "addall", "removeall", "retainall", "replaceall", "compute", "merge", "iterator", "entryset");

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
    List<Token> tokens = tokenize(fullSource, from, to);
    if (tokens.isEmpty()) {
      throw new ExpressionException("empty expression", fullSource, from);
    }
    return grammar(fullSource, from, to, tokens, allowedRoots, functions, allowTopLevelComma);
  }

  // ------------------------------------------------------------------ tokenizer

  static List<Token> tokenize(String s, int from, int to) {
    List<Token> out = new ArrayList<>();
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
      } else if (identStart(c)) {
        int j = i + 1;
        while (j < to && identPart(s.charAt(j))) {
          j++;
        }
        out.add(new Token(Kind.IDENT, s.substring(i, j), i, j));
        i = j;
      } else if (c >= '0' && c <= '9') {
        i = number(s, i, to, out);
      } else if (c == '\'' || c == '"') {
        i = string(s, i, to, out);
      } else {
        i = operator(s, i, to, out);
      }
    }
    return out;
  }

  private static int number(String s, int i, int to, List<Token> out) {
    int j = i;
    while (j < to && isDigit(s.charAt(j))) {
      j++;
    }
    if (j + 1 < to && s.charAt(j) == '.' && isDigit(s.charAt(j + 1))) {
      j++;
      while (j < to && isDigit(s.charAt(j))) {
        j++;
      }
    }
    if (j < to && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
      int k = j + 1;
      if (k < to && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
        k++;
      }
      if (k < to && isDigit(s.charAt(k))) {
        while (k < to && isDigit(s.charAt(k))) {
          k++;
        }
        j = k;
      }
    }
    if (j < to && "lLdDfF".indexOf(s.charAt(j)) >= 0) {
      j++;
    }
    if (j < to && identPart(s.charAt(j))) {
      throw new SandboxViolationException("malformed number literal '" + s.substring(i, Math.min(to, j + 1))
          + "' (only decimal literals are allowed)", s, j);
    }
    if (j - i > MAX_NUMBER_LENGTH) {
      throw new SandboxViolationException("number literal longer than " + MAX_NUMBER_LENGTH
          + " characters is not allowed", s, i);
    }
    out.add(new Token(Kind.NUMBER, s.substring(i, j), i, j));
    return j;
  }

  private static int string(String s, int i, int to, List<Token> out) {
    char q = s.charAt(i);
    int j = i + 1;
    while (j < to) {
      char c = s.charAt(j);
      if (c == q) {
        out.add(new Token(Kind.STRING, s.substring(i + 1, j), i, j + 1));
        return j + 1;
      }
      if (c == '\\') {
        char e = j + 1 < to ? s.charAt(j + 1) : ' ';
        if ("\\'\"ntr".indexOf(e) < 0) {
          throw new SandboxViolationException("escape '\\" + e + "' is not allowed in string literals"
              + " (allowed: \\\\ \\' \\\" \\n \\t \\r)", s, j);
        }
        j += 2;
        continue;
      }
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        throw new SandboxViolationException("control character U+" + String.format("%04X", (int) c)
            + " is not allowed in string literals", s, j);
      }
      j++;
    }
    throw new ExpressionException("unterminated string literal", s, i);
  }

  private static int operator(String s, int i, int to, List<Token> out) {
    char c = s.charAt(i);
    String two = i + 1 < to ? s.substring(i, i + 2) : "";
    switch (two) {
      case "==", "!=", "<=", ">=", "&&", "||" -> {
        out.add(new Token(Kind.OP, two, i, i + 2));
        return i + 2;
      }
      case ".?" -> {
        out.add(new Token(Kind.SAFE_DOT, two, i, i + 2));
        return i + 2;
      }
      case "//", "/*" -> throw violation("comments ('" + two + "') are not allowed", s, i);
      case "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=" ->
          throw violation("assignment '" + two + "' is not allowed", s, i);
      case "++", "--" -> throw violation("increment/decrement '" + two + "' is not allowed", s, i);
      case "**" -> throw violation("power operator '**' is not allowed", s, i);
      case "<<", ">>" -> throw violation("shift operator '" + two + "' is not allowed", s, i);
      default -> { }
    }
    Kind kind = switch (c) {
      case '+', '-', '*', '/', '%', '<', '>', '!' -> Kind.OP;
      case '(' -> Kind.LPAREN;
      case ')' -> Kind.RPAREN;
      case '[' -> Kind.LBRACK;
      case ']' -> Kind.RBRACK;
      case ',' -> Kind.COMMA;
      case '.' -> Kind.DOT;
      case '?' -> Kind.QUESTION;
      case ':' -> Kind.COLON;
      case '=' -> throw violation("assignment '=' is not allowed (use '==' to compare)", s, i);
      case ';' -> throw violation("statement separator ';' is not allowed", s, i);
      case '{', '}' -> throw violation("block braces '" + c + "' are not allowed", s, i);
      case '@', '$' -> throw violation("'" + c + "' is not allowed (no MVEL templates or interpolation)", s, i);
      case '\\' -> throw violation("backslash is not allowed outside string literals", s, i);
      case '`' -> throw violation("backtick is not allowed", s, i);
      case '&', '|', '^', '~' -> throw violation("bit operator '" + c + "' is not allowed", s, i);
      case '#' -> throw violation("'#' is not allowed", s, i);
      default -> throw violation("character '" + printable(c) + "' (U+" + String.format("%04X", (int) c)
          + ") is not allowed", s, i);
    };
    out.add(new Token(kind, String.valueOf(c), i, i + 1));
    return i + 1;
  }

  // ------------------------------------------------------------------ grammar

  private static final class Open {
    final Token token;
    final boolean call;
    int commas;

    Open(Token token, boolean call) {
      this.token = token;
      this.call = call;
    }
  }

  private static Checked grammar(String s, int from, int to, List<Token> tokens, Set<String> allowedRoots,
      FunctionTable functions, boolean allowTopLevelComma) {
    Set<String> roots = new LinkedHashSet<>();
    Deque<Open> open = new ArrayDeque<>();
    int brackets = 0;
    boolean operand = false;   // true when the previous token ended an operand
    boolean callPending = false; // previous token is a function or method name
    String pendingFunction = null;
    int pendingFunctionAt = -1;
    Deque<Integer> functionAt = new ArrayDeque<>();
    Deque<String> functionNames = new ArrayDeque<>();

    for (int idx = 0; idx < tokens.size(); idx++) {
      Token t = tokens.get(idx);
      Token prev = idx > 0 ? tokens.get(idx - 1) : null;
      Token next = idx + 1 < tokens.size() ? tokens.get(idx + 1) : null;
      boolean nextIsParen = next != null && next.kind() == Kind.LPAREN;
      switch (t.kind()) {
        case IDENT -> {
          String name = t.text();
          if (prev != null && (prev.kind() == Kind.DOT || prev.kind() == Kind.SAFE_DOT)) {
            checkMember(s, t, nextIsParen);
            callPending = nextIsParen;
            operand = true;
            if (nextIsParen) {
              pendingFunction = null;
            }
            continue;
          }
          if (operand) {
            if (name.equals("contains")) {
              operand = false;
              continue;
            }
            throw violation("unexpected '" + name + "' after '" + prev.text() + "'", s, t.start());
          }
          if (name.startsWith(FunctionTable.MANGLE_PREFIX)) {
            throw violation("names starting with '" + FunctionTable.MANGLE_PREFIX + "' are reserved", s, t.start());
          }
          if (LITERAL_WORDS.contains(name)) {
            operand = true;
          } else if (name.equals("contains")) {
            throw violation("operator 'contains' needs a value on its left", s, t.start());
          } else if (nextIsParen) {
            if (!functions.has(name)) {
              String known = String.join(", ", functions.names());
              String reason = KEYWORDS.contains(name) ? "keyword '" + name + "' is not allowed"
                  : (allowedRoots != null && allowedRoots.contains(name))
                  ? "variable '" + name + "' cannot be called"
                  : "unknown function '" + name + "' (known functions: " + known + ")"
                      + suggestion(name, functions.names());
              throw violation(reason, s, t.start());
            }
            callPending = true;
            pendingFunction = name;
            pendingFunctionAt = t.start();
            operand = true;
          } else if (KEYWORDS.contains(name)) {
            throw violation("keyword '" + name + "' is not allowed", s, t.start());
          } else if (allowedRoots != null && !allowedRoots.contains(name)) {
            String reason = functions.has(name)
                ? "function '" + name + "' must be called with parentheses, e.g. " + name + "(x)"
                : "unknown variable '" + name + "' (known: " + String.join(", ", new TreeSet<>(allowedRoots)) + ")"
                    + suggestion(name, allowedRoots);
            throw functions.has(name) ? violation(reason, s, t.start())
                : new UnknownVariableException(reason, s, t.start(), name);
          } else {
            roots.add(name);
            operand = true;
          }
        }
        case NUMBER -> {
          if (operand) {
            throw violation("unexpected number '" + t.text() + "'", s, t.start());
          }
          operand = true;
        }
        case STRING -> {
          if (operand) {
            throw violation("unexpected string literal", s, t.start());
          }
          if (brackets > 0 && t.text().toLowerCase(Locale.ROOT).contains("class")) {
            throw violation("index '" + t.text() + "' is not allowed (names containing 'class' are refused)",
                s, t.start());
          }
          operand = true;
        }
        case OP -> {
          String op = t.text();
          if (operand) {
            if (op.equals("!")) {
              throw violation("unexpected '!'", s, t.start());
            }
          } else if (!(op.equals("!") || op.equals("-") || op.equals("+"))) {
            throw violation("unexpected operator '" + op + "'", s, t.start());
          }
          if ((op.equals("*") || op.equals("/") || op.equals("%"))
              && ((prev != null && prev.kind() == Kind.STRING) || (next != null && next.kind() == Kind.STRING))) {
            throw violation("arithmetic operator '" + op + "' on a string literal is not allowed", s, t.start());
          }
          operand = false;
        }
        case LPAREN -> {
          if (callPending) {
            Open o = new Open(t, true);
            open.push(o);
            if (pendingFunction != null) {
              functionAt.push(pendingFunctionAt);
              functionNames.push(pendingFunction);
            } else {
              functionAt.push(-1);
              functionNames.push("");
            }
            callPending = false;
            pendingFunction = null;
          } else {
            if (operand) {
              throw violation("unexpected '(' (only helpers and allowed methods can be called)", s, t.start());
            }
            open.push(new Open(t, false));
          }
          depth(s, open, t);
          operand = false;
        }
        case RPAREN -> {
          if (open.isEmpty() || open.peek().token.kind() != Kind.LPAREN) {
            throw new ExpressionException("unbalanced ')'", s, t.start());
          }
          Open o = open.peek();
          boolean emptyCall = o.call && prev == o.token;
          if (!operand && !emptyCall) {
            throw violation("unexpected ')'", s, t.start());
          }
          open.pop();
          if (o.call) {
            int arity = emptyCall ? 0 : o.commas + 1;
            int at = functionAt.pop();
            String fn = functionNames.pop();
            if (at >= 0 && functions.method(fn, arity).isEmpty()) {
              throw new ExpressionException("function '" + fn + "' takes " + describeArities(functions.arities(fn))
                  + " but got " + arity, s, at);
            }
          } else if (o.commas > 0) {
            throw violation("unexpected ',' inside parentheses", s, o.token.start());
          }
          operand = true;
        }
        case LBRACK -> {
          open.push(new Open(t, false));
          brackets++;
          depth(s, open, t);
          operand = false;
        }
        case RBRACK -> {
          if (open.isEmpty() || open.peek().token.kind() != Kind.LBRACK) {
            throw new ExpressionException("unbalanced ']'", s, t.start());
          }
          if (!operand && prev != open.peek().token) {
            throw violation("unexpected ']'", s, t.start());
          }
          open.pop();
          brackets--;
          operand = true;
        }
        case COMMA -> {
          if (!operand) {
            throw violation("unexpected ','", s, t.start());
          }
          if (open.isEmpty()) {
            if (!allowTopLevelComma) {
              throw violation("unexpected ',' at top level", s, t.start());
            }
          } else {
            open.peek().commas++;
          }
          operand = false;
        }
        case DOT, SAFE_DOT -> {
          if (!operand) {
            throw violation("unexpected '" + t.text() + "'", s, t.start());
          }
          if (next == null || next.kind() != Kind.IDENT) {
            throw violation("'" + t.text() + "' must be followed by a property or method name", s, t.start());
          }
          operand = false;
        }
        case QUESTION, COLON -> {
          if (!operand) {
            throw violation("unexpected '" + t.text() + "'", s, t.start());
          }
          operand = false;
        }
        default -> throw new IllegalStateException(t.kind().name());
      }
    }
    if (!open.isEmpty()) {
      Token o = open.peek().token;
      throw new ExpressionException("unclosed '" + o.text() + "'", s, o.start());
    }
    if (!operand) {
      throw new ExpressionException("unexpected end of expression", s, to);
    }
    return new Checked(s, List.copyOf(tokens), Collections.unmodifiableSet(roots), path(tokens, roots));
  }

  private static List<String> path(List<Token> tokens, Set<String> roots) {
    if (tokens.size() % 2 == 0 || tokens.get(0).kind() != Kind.IDENT || !roots.contains(tokens.get(0).text())) {
      return null;
    }
    List<String> out = new ArrayList<>();
    out.add(tokens.get(0).text());
    for (int i = 1; i < tokens.size(); i += 2) {
      if (tokens.get(i).kind() != Kind.DOT || tokens.get(i + 1).kind() != Kind.IDENT) {
        return null;
      }
      out.add(tokens.get(i + 1).text());
    }
    return List.copyOf(out);
  }

  private static void checkMember(String s, Token t, boolean call) {
    String name = t.text();
    String lower = name.toLowerCase(Locale.ROOT);
    if (call) {
      if (!ALLOWED_METHODS.contains(name)) {
        throw violation("method '" + name + "' is not allowed (allowed methods: "
            + String.join(", ", ALLOWED_METHODS) + ")" + suggestion(name, ALLOWED_METHODS), s, t.start());
      }
      return;
    }
    if (lower.contains("class") || DENIED_MEMBERS.contains(lower) || KEYWORDS.contains(name)
        || name.startsWith(FunctionTable.MANGLE_PREFIX)) {
      throw violation("property '" + name + "' is not allowed", s, t.start());
    }
  }

  private static void depth(String s, Deque<Open> open, Token t) {
    if (open.size() > MAX_DEPTH) {
      throw violation("nesting deeper than " + MAX_DEPTH + " levels is not allowed", s, t.start());
    }
  }

  private static String describeArities(Set<Integer> arities) {
    String list = arities.stream().map(String::valueOf).collect(Collectors.joining(" or "));
    return list + (arities.size() == 1 && arities.contains(1) ? " argument" : " arguments");
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
    if (name == null || name.isEmpty() || !identStart(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!identPart(name.charAt(i))) {
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

  private static SandboxViolationException violation(String reason, String s, int offset) {
    return new SandboxViolationException(reason, s, offset);
  }

  private static boolean identStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean identPart(char c) {
    return identStart(c) || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String printable(char c) {
    return c < 0x20 || c == 0x7f ? "?" : String.valueOf(c);
  }
}
