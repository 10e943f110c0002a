package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.expression.internal.Sandbox.Kind;
import dev.runbook.core.expression.internal.Sandbox.Token;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compiles the tokens the sandbox admitted into a tree of closures ({@link Node}). The grammar is exactly the
 * sandbox's: literals, root variables, {@code . .? [ ]} navigation, the listed methods, registered helpers, list
 * literals, {@code ! - +}, {@code * / %}, {@code + -}, {@code < <= > >= contains}, {@code == !=}, {@code &&},
 * {@code ||} and {@code ? :}, in that order of precedence (tightest first after the unary operators).
 */
final class Parser {

  private final String source;
  private final List<Token> tokens;
  private final Set<String> roots;
  private final FunctionTable functions;
  private int pos;
  /** Inside the value argument of {@code default(value, fallback)}: a missing field is the null it replaces. */
  private int lenient;

  private Parser(String source, List<Token> tokens, Set<String> roots, FunctionTable functions) {
    this.source = source;
    this.tokens = tokens;
    this.roots = roots;
    this.functions = functions;
  }

  /**
   * Parses checked tokens.
   *
   * @param source the text the tokens' offsets point into
   * @param tokens the tokens, already admitted by {@link Sandbox}
   * @param roots the referenced root variables
   * @param functions the helpers
   * @return the compiled tree
   * @throws ExpressionException on a syntax error
   */
  static Node parse(String source, List<Token> tokens, Set<String> roots, FunctionTable functions) {
    Parser p = new Parser(source, tokens, roots, functions);
    try {
      Node n = p.ternary();
      if (p.pos < tokens.size()) {
        throw p.error("unexpected '" + tokens.get(p.pos).text() + "'", tokens.get(p.pos));
      }
      return n;
    } catch (StackOverflowError e) {
      throw new ExpressionException("expression is nested too deeply", source, tokens.get(0).start());
    }
  }

  private Node ternary() {
    Node cond = or();
    if (!at(Kind.QUESTION)) {
      return cond;
    }
    Token q = next();
    Node then = ternary();
    expect(Kind.COLON, "':' of the '?' at offset " + q.start());
    Node otherwise = ternary();
    return s -> Ops.bool(cond.eval(s), "'?'") ? then.eval(s) : otherwise.eval(s);
  }

  private Node or() {
    Node left = and();
    while (atOp("||")) {
      next();
      Node l = left;
      Node r = and();
      left = s -> Ops.bool(l.eval(s), "'||'") || Ops.bool(r.eval(s), "'||'");
    }
    return left;
  }

  private Node and() {
    Node left = equality();
    while (atOp("&&")) {
      next();
      Node l = left;
      Node r = equality();
      left = s -> Ops.bool(l.eval(s), "'&&'") && Ops.bool(r.eval(s), "'&&'");
    }
    return left;
  }

  private Node equality() {
    Node left = relational();
    while (atOp("==") || atOp("!=")) {
      boolean eq = next().text().equals("==");
      Node l = left;
      Node r = relational();
      Node test = r instanceof Const c && c.value() instanceof String text
          // the common 'field == literal': String.equals straight away, same result as Ops.equal
          ? s -> {
            Object v = l.eval(s);
            return v instanceof String str ? str.equals(text) : Ops.equal(v, text);
          }
          : s -> Ops.equal(l.eval(s), r.eval(s));
      left = eq ? test : s -> !(Boolean) test.eval(s);
    }
    return left;
  }

  private Node relational() {
    Node left = additive();
    while (atOp("<") || atOp(">") || atOp("<=") || atOp(">=") || atContains()) {
      String op = next().text();
      Node l = left;
      Node r = additive();
      if (op.equals("contains")) {
        left = s -> Ops.contains(l.eval(s), r.eval(s));
      } else if (r instanceof Const c && c.value() instanceof Number n && !(n instanceof java.math.BigDecimal)) {
        // the common 'field >= 0.8': compare doubles straight away, same result as Ops.order
        int code = Ops.orderCode(op);
        double k = n.doubleValue();
        left = s -> {
          Object v = l.eval(s);
          return v instanceof Double d ? Ops.holds(Ops.compareDoubles(d, k), code) : Ops.order(v, n, code);
        };
      } else {
        int code = Ops.orderCode(op);
        left = s -> Ops.order(l.eval(s), r.eval(s), code);
      }
    }
    return left;
  }

  private Node additive() {
    Node left = multiplicative();
    while (atOp("+") || atOp("-")) {
      boolean plus = next().text().equals("+");
      Node l = left;
      Node r = multiplicative();
      left = plus ? s -> Ops.plus(l.eval(s), r.eval(s)) : s -> Ops.arithmetic(l.eval(s), r.eval(s), '-');
    }
    return left;
  }

  private Node multiplicative() {
    Node left = unary();
    while (atOp("*") || atOp("/") || atOp("%")) {
      char op = next().text().charAt(0);
      Node l = left;
      Node r = unary();
      left = s -> Ops.arithmetic(l.eval(s), r.eval(s), op);
    }
    return left;
  }

  private Node unary() {
    // Collected in a loop, not by recursion: '!!!!...' of any length costs no stack.
    List<String> ops = new ArrayList<>();
    while (atOp("!") || atOp("-") || atOp("+")) {
      ops.add(next().text());
    }
    Node n = postfix();
    for (int i = ops.size() - 1; i >= 0; i--) {
      Node inner = n;
      n = switch (ops.get(i)) {
        case "!" -> s -> !Ops.bool(inner.eval(s), "'!'");
        case "-" -> s -> Ops.negate(inner.eval(s));
        default -> s -> Ops.unaryPlus(inner.eval(s));
      };
    }
    return n;
  }

  private Node postfix() {
    int start = pos;
    Node n = primary();
    while (true) {
      String targetText = text(start, pos);
      if (at(Kind.DOT) || at(Kind.SAFE_DOT)) {
        boolean safe = next().kind() == Kind.SAFE_DOT || lenient > 0;
        Token name = expect(Kind.IDENT, "a property or method name");
        Node target = n;
        if (at(Kind.LPAREN)) {
          n = method(target, name, safe, targetText);
        } else {
          String key = name.text();
          n = s -> Access.property(target.eval(s), key, safe, targetText);
        }
      } else if (at(Kind.LBRACK)) {
        next();
        Node target = n;
        Node key = ternary();
        expect(Kind.RBRACK, "']'");
        n = s -> Access.index(target.eval(s), key.eval(s), targetText);
      } else {
        return n;
      }
    }
  }

  private Node method(Node target, Token name, boolean safe, String targetText) {
    Node[] args = arguments(false);
    Set<Integer> arities = Access.METHOD_ARITIES.get(name.text());
    if (arities == null) {
      throw error("method '" + name.text() + "' is not allowed", name);
    }
    if (!arities.contains(args.length)) {
      throw error("method '" + name.text() + "' takes " + arities.iterator().next() + " argument(s) but got "
          + args.length, name);
    }
    String m = name.text();
    return s -> {
      Object t = target.eval(s);
      if (t == null && safe) {
        return null;
      }
      return Access.call(t, m, values(args, s), targetText);
    };
  }

  private Node primary() {
    Token t = next();
    switch (t.kind()) {
      case NUMBER:
        return new Const(number(t));
      case STRING:
        return new Const(unescape(t.text()));
      case LPAREN:
        Node inner = ternary();
        expect(Kind.RPAREN, "')'");
        return inner;
      case LBRACK:
        List<Node> items = new ArrayList<>();
        if (!at(Kind.RBRACK)) {
          items.add(ternary());
          while (at(Kind.COMMA)) {
            next();
            items.add(ternary());
          }
        }
        expect(Kind.RBRACK, "']'");
        Node[] array = items.toArray(new Node[0]);
        return s -> Access.list(values(array, s));
      case IDENT:
        return identifier(t);
      default:
        throw error("unexpected '" + t.text() + "'", t);
    }
  }

  private Node identifier(Token t) {
    String name = t.text();
    switch (name) {
      case "true":
        return s -> Boolean.TRUE;
      case "false":
        return s -> Boolean.FALSE;
      case "null":
        return s -> null;
      default:
        break;
    }
    if (at(Kind.LPAREN)) {
      Node[] args = arguments(name.equals("default"));
      Method m = functions.method(name, args.length)
          .orElseThrow(() -> error("unknown function '" + name + "' with " + args.length + " argument(s)", t));
      return s -> Helpers.invoke(m, values(args, s));
    }
    if (!roots.contains(name)) {
      throw error("unknown variable '" + name + "'", t);
    }
    return s -> s.get(name);
  }

  /** A literal: its value is known at compile time, so operators can specialise on it. */
  private record Const(Object value) implements Node {
    @Override
    public Object eval(java.util.Map<String, ?> scope) {
      return value;
    }
  }

  private Node[] arguments(boolean firstLenient) {
    expect(Kind.LPAREN, "'('");
    List<Node> args = new ArrayList<>();
    if (!at(Kind.RPAREN)) {
      lenient += firstLenient ? 1 : 0;
      try {
        args.add(ternary());
      } finally {
        lenient -= firstLenient ? 1 : 0;
      }
      while (at(Kind.COMMA)) {
        next();
        args.add(ternary());
      }
    }
    expect(Kind.RPAREN, "')'");
    return args.toArray(new Node[0]);
  }

  private static Object[] values(Node[] nodes, java.util.Map<String, ?> scope) {
    Object[] out = new Object[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      out[i] = nodes[i].eval(scope);
    }
    return out;
  }

  private Object number(Token t) {
    String text = t.text();
    char last = Character.toLowerCase(text.charAt(text.length() - 1));
    String digits = "ldf".indexOf(last) >= 0 ? text.substring(0, text.length() - 1) : text;
    boolean decimal = last == 'd' || last == 'f' || digits.indexOf('.') >= 0
        || digits.toLowerCase(Locale.ROOT).indexOf('e') >= 0;
    if (decimal) {
      double d = Double.parseDouble(digits);
      if (Double.isInfinite(d)) {
        throw error("number literal '" + text + "' is out of range", t);
      }
      return d;
    }
    BigDecimal value = new BigDecimal(digits);
    if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw error("number literal '" + text + "' is out of range", t);
    }
    long l = value.longValueExact();
    return last != 'l' && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
  }

  private static String unescape(String raw) {
    if (raw.indexOf('\\') < 0) {
      return raw;
    }
    StringBuilder sb = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        char e = raw.charAt(++i);
        sb.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          default -> e; // \\ \' \" (the sandbox admits no other escape)
        });
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ token helpers

  private boolean at(Kind kind) {
    return pos < tokens.size() && tokens.get(pos).kind() == kind;
  }

  private boolean atOp(String op) {
    return at(Kind.OP) && tokens.get(pos).text().equals(op);
  }

  private boolean atContains() {
    return at(Kind.IDENT) && tokens.get(pos).text().equals("contains");
  }

  private Token next() {
    if (pos >= tokens.size()) {
      int end = tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1).end();
      throw new ExpressionException("unexpected end of expression", source, end);
    }
    return tokens.get(pos++);
  }

  private Token expect(Kind kind, String what) {
    if (!at(kind)) {
      if (pos >= tokens.size()) {
        throw new ExpressionException("expected " + what + " before the end", source,
            tokens.get(tokens.size() - 1).end());
      }
      throw error("expected " + what + " but found '" + tokens.get(pos).text() + "'", tokens.get(pos));
    }
    return next();
  }

  private String text(int fromToken, int toToken) {
    if (toToken <= fromToken) {
      return "";
    }
    return source.substring(tokens.get(fromToken).start(), tokens.get(toToken - 1).end());
  }

  private ExpressionException error(String reason, Token at) {
    return new ExpressionException(reason, source, at.start());
  }
}
