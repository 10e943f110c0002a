package dev.runbook.core.expression.internal;

import static dev.runbook.core.expression.internal.NamePolicy.KEYWORDS;
import static dev.runbook.core.expression.internal.NamePolicy.LITERAL_WORDS;
import static dev.runbook.core.expression.internal.NamePolicy.checkMember;
import static dev.runbook.core.expression.internal.Sandbox.MAX_DEPTH;
import static dev.runbook.core.expression.internal.Sandbox.suggestion;
import static dev.runbook.core.expression.internal.Sandbox.violation;

import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.expression.UnknownVariableException;
import dev.runbook.core.expression.internal.Sandbox.Checked;
import dev.runbook.core.expression.internal.Sandbox.Kind;
import dev.runbook.core.expression.internal.Sandbox.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The sandbox's grammar pass over the admitted tokens ({@link Sandbox}): every identifier is checked against
 * {@link NamePolicy}, the root variables and the registered helpers (with their arities), brackets must balance
 * and nest at most {@link Sandbox#MAX_DEPTH} deep, and operands and operators must alternate, which excludes
 * MVEL's declaration and statement forms.
 */
final class SandboxGrammar {

  private SandboxGrammar() {}

  private static final class Open {
    final Token token;
    final boolean call;
    int commas;

    Open(Token token, boolean call) {
      this.token = token;
      this.call = call;
    }
  }

  static Checked check(String s, int from, int to, List<Token> tokens, Set<String> allowedRoots,
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

  private static void depth(String s, Deque<Open> open, Token t) {
    if (open.size() > MAX_DEPTH) {
      throw violation("nesting deeper than " + MAX_DEPTH + " levels is not allowed", s, t.start());
    }
  }

  private static String describeArities(Set<Integer> arities) {
    String list = arities.stream().map(String::valueOf).collect(Collectors.joining(" or "));
    return list + (arities.size() == 1 && arities.contains(1) ? " argument" : " arguments");
  }
}
