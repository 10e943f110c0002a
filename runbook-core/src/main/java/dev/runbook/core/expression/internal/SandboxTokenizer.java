package dev.runbook.core.expression.internal;

import static dev.runbook.core.expression.internal.Sandbox.MAX_NUMBER_LENGTH;
import static dev.runbook.core.expression.internal.Sandbox.violation;

import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.expression.SandboxViolationException;
import dev.runbook.core.expression.internal.Sandbox.Kind;
import dev.runbook.core.expression.internal.Sandbox.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's lexical allow-list ({@link Sandbox}): a tokenizer that only knows plain string literals, number
 * literals, identifiers and a fixed set of operators, and refuses everything else (assignment, blocks, statement
 * separators, comments, {@code @ # $ \ ~ `}, bit operators, {@code **}) with a message naming it.
 */
final class SandboxTokenizer {

  private SandboxTokenizer() {}

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

  static boolean identStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean identPart(char c) {
    return identStart(c) || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String printable(char c) {
    return c < 0x20 || c == 0x7f ? "?" : String.valueOf(c);
  }
}
