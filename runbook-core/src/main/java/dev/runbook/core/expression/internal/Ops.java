package dev.runbook.core.expression.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import java.util.Map;

/**
 * What the operators of the expression language do with values. Only maps, lists, strings, numbers, booleans and
 * null take part; anything else fails. Semantics follow what runbooks relied on under MVEL: numbers compare by
 * value across types ({@code 1 == 1.0}), {@code +} with text concatenates, integer arithmetic stays integral
 * unless a division has a remainder, comparisons with null are false.
 */
final class Ops {

  /** Longest text that {@code +} may build, so that a chain of concatenations cannot exhaust memory. */
  static final int MAX_CONCAT_LENGTH = 1 << 22;

  private Ops() {}

  static String typeName(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "text";
    }
    if (v instanceof Number) {
      return "number";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof Map) {
      return "map";
    }
    if (v instanceof List) {
      return "list";
    }
    return "value";
  }

  static boolean bool(Object v, String what) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw new EvaluationFailure(what + " needs true or false but got " + describe(v));
  }

  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    String text = ValueText.of(v);
    if (text.length() > 40) {
      text = text.substring(0, 40) + "...";
    }
    return typeName(v) + (v instanceof String ? " '" + text + "'" : " " + text);
  }

  // ------------------------------------------------------------------ equality and order

  static boolean equal(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    // by the left type first: conditions compare text and numbers far more than anything else
    if (a instanceof String s) {
      if (b instanceof String t) {
        return s.equals(t);
      }
      if (b instanceof Number y) {
        BigDecimal d = parse(s);
        return d != null && compareNumbers(d, y) == 0;
      }
      return b instanceof Boolean && s.equals(b.toString());
    }
    if (a instanceof Number x) {
      if (b instanceof Number y) {
        return compareNumbers(x, y) == 0;
      }
      BigDecimal d = b instanceof String t ? parse(t) : null;
      return d != null && compareNumbers(x, d) == 0;
    }
    if (a instanceof Boolean) {
      return b instanceof String t ? t.equals(a.toString()) : a.equals(b);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!equal(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** Codes of the order operators, resolved once at compile time. */
  static final int LT = 0;
  static final int LE = 1;
  static final int GT = 2;
  static final int GE = 3;

  static int orderCode(String op) {
    return switch (op) {
      case "<" -> LT;
      case "<=" -> LE;
      case ">" -> GT;
      default -> GE;
    };
  }

  private static final String[] ORDER_TEXT = {"<", "<=", ">", ">="};

  /** {@code < <= > >=}: numbers by value, text alphabetically; false if either side is null. */
  static boolean order(Object a, Object b, int op) {
    if (a == null || b == null) {
      return false;
    }
    int c;
    if (a instanceof Number x && b instanceof Number y) {
      c = compareNumbers(x, y);
    } else if (a instanceof String x && b instanceof String y) {
      c = x.compareTo(y);
    } else if (a instanceof Number x && b instanceof String s && parse(s) != null) {
      c = compareNumbers(x, parse(s));
    } else if (a instanceof String s && b instanceof Number y && parse(s) != null) {
      c = compareNumbers(parse(s), y);
    } else {
      throw new EvaluationFailure("cannot compare " + describe(a) + " with " + describe(b) + " using '"
          + ORDER_TEXT[op] + "'");
    }
    return holds(c, op);
  }

  static boolean holds(int comparison, int op) {
    return switch (op) {
      case LT -> comparison < 0;
      case LE -> comparison <= 0;
      case GT -> comparison > 0;
      default -> comparison >= 0;
    };
  }

  /** How two doubles compare here: like {@link Double#compare}, but 0.0 equals -0.0. */
  static int compareDoubles(double a, double b) {
    return a == b ? 0 : Double.compare(a, b);
  }

  static boolean contains(Object container, Object item) {
    if (container == null) {
      return false;
    }
    if (container instanceof String s) {
      return item != null && s.contains(item instanceof String t ? t : ValueText.of(item));
    }
    if (container instanceof List<?> l) {
      for (Object o : l) {
        if (equal(o, item)) {
          return true;
        }
      }
      return false;
    }
    if (container instanceof Map<?, ?> m) {
      return m.containsKey(item);
    }
    throw new EvaluationFailure("'contains' needs text, a list or a map on its left but got " + describe(container));
  }

  private static int compareNumbers(Number x, Number y) {
    if (x instanceof Double a && y instanceof Double b) {
      return compareDoubles(a, b);
    }
    if (integral(x) && integral(y)) {
      return Long.compare(x.longValue(), y.longValue());
    }
    if (x instanceof BigDecimal || y instanceof BigDecimal || x instanceof BigInteger || y instanceof BigInteger) {
      return big(x).compareTo(big(y));
    }
    return compareDoubles(x.doubleValue(), y.doubleValue());
  }

  private static BigDecimal parse(String s) {
    if (s.isEmpty() || s.length() > 40) {
      return null;
    }
    try {
      return new BigDecimal(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ arithmetic

  static Object plus(Object a, Object b) {
    if (a instanceof String || b instanceof String) {
      String x = String.valueOf(a);
      String y = String.valueOf(b);
      if ((long) x.length() + y.length() > MAX_CONCAT_LENGTH) {
        throw new EvaluationFailure("text longer than " + MAX_CONCAT_LENGTH + " characters");
      }
      return x.concat(y);
    }
    return arithmetic(a, b, '+');
  }

  static Object arithmetic(Object a, Object b, char op) {
    if (!(a instanceof Number x) || !(b instanceof Number y)) {
      throw new EvaluationFailure("'" + op + "' needs numbers but got " + describe(a) + " and " + describe(b));
    }
    if (integral(x) && integral(y)) {
      return integralArithmetic(x, y, op);
    }
    if (x instanceof BigDecimal || y instanceof BigDecimal || x instanceof BigInteger || y instanceof BigInteger) {
      BigDecimal p = big(x);
      BigDecimal q = big(y);
      if ((op == '/' || op == '%') && q.signum() == 0) {
        throw new EvaluationFailure("division by zero");
      }
      return switch (op) {
        case '+' -> p.add(q);
        case '-' -> p.subtract(q);
        case '*' -> p.multiply(q, MathContext.DECIMAL64);
        case '/' -> p.divide(q, MathContext.DECIMAL64);
        default -> p.remainder(q);
      };
    }
    double p = x.doubleValue();
    double q = y.doubleValue();
    if ((op == '/' || op == '%') && q == 0) {
      throw new EvaluationFailure("division by zero");
    }
    return switch (op) {
      case '+' -> p + q;
      case '-' -> p - q;
      case '*' -> p * q;
      case '/' -> p / q;
      default -> p % q;
    };
  }

  private static Object integralArithmetic(Number x, Number y, char op) {
    long p = x.longValue();
    long q = y.longValue();
    if ((op == '/' || op == '%') && q == 0) {
      throw new EvaluationFailure("division by zero");
    }
    if (op == '/' && (p % q != 0 || (p == Long.MIN_VALUE && q == -1))) {
      return (double) p / (double) q; // MVEL gave 7 / 2 == 3.5: a division with a remainder is a decimal
    }
    long r;
    try {
      r = switch (op) {
        case '+' -> Math.addExact(p, q);
        case '-' -> Math.subtractExact(p, q);
        case '*' -> Math.multiplyExact(p, q);
        case '/' -> p / q;
        default -> p % q;
      };
    } catch (ArithmeticException overflow) {
      return arithmetic(x.doubleValue(), y.doubleValue(), op);
    }
    boolean ints = !(x instanceof Long) && !(y instanceof Long);
    return ints && r >= Integer.MIN_VALUE && r <= Integer.MAX_VALUE ? (Object) (int) r : (Object) r;
  }

  static Object negate(Object v) {
    if (v instanceof Integer i && i != Integer.MIN_VALUE) {
      return -i;
    }
    if (v instanceof Long l && l != Long.MIN_VALUE) {
      return -l;
    }
    if (v instanceof BigDecimal d) {
      return d.negate();
    }
    if (v instanceof Number n && !integral(n)) {
      return -n.doubleValue();
    }
    if (v instanceof Number n) {
      return arithmetic(0, n, '-');
    }
    throw new EvaluationFailure("'-' needs a number but got " + describe(v));
  }

  static Object unaryPlus(Object v) {
    if (v instanceof Number) {
      return v;
    }
    throw new EvaluationFailure("'+' needs a number but got " + describe(v));
  }

  static boolean integral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
  }

  private static BigDecimal big(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (integral(n)) {
      return BigDecimal.valueOf(n.longValue());
    }
    return BigDecimal.valueOf(n.doubleValue());
  }

  /** An integer argument (index, substring bounds). */
  static int index(Object v, String what) {
    if (v instanceof Number n && (integral(n) || n.doubleValue() == Math.rint(n.doubleValue()))
        && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw new EvaluationFailure(what + " needs a whole number but got " + describe(v));
  }

  static String text(Object v, String what) {
    if (v instanceof String s) {
      return s;
    }
    throw new EvaluationFailure(what + " needs text but got " + describe(v));
  }
}
