package dev.runbook.core.expression.internal;

import static dev.runbook.core.expression.internal.StandardFunctions.abbreviate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * The arithmetic helpers of {@link StandardFunctions}: {@code multiply}, {@code add}, {@code divide} and
 * {@code round}, and the one conversion of their operands to numbers.
 */
public final class ArithmeticFunctions {

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,30}");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d{1,30}\\.?\\d{0,30}|\\.\\d{1,30})([eE][+-]?\\d{1,3})?");

  private ArithmeticFunctions() {}

  /**
   * Multiplies; integral operands give a Long (overflow is an error), otherwise a Double.
   * Numeric strings are parsed.
   *
   * @param a left operand
   * @param b right operand
   * @return the product
   */
  public static Object multiply(Object a, Object b) {
    Number x = number(a, "multiply");
    Number y = number(b, "multiply");
    if (x instanceof Long l && y instanceof Long r) {
      try {
        return Math.multiplyExact(l, r);
      } catch (ArithmeticException e) {
        throw new HelperException("multiply: overflow for " + l + " * " + r);
      }
    }
    return x.doubleValue() * y.doubleValue();
  }

  /**
   * Adds; integral operands give a Long, otherwise a Double.
   *
   * @param a left operand
   * @param b right operand
   * @return the sum
   */
  public static Object add(Object a, Object b) {
    Number x = number(a, "add");
    Number y = number(b, "add");
    if (x instanceof Long l && y instanceof Long r) {
      try {
        return Math.addExact(l, r);
      } catch (ArithmeticException e) {
        throw new HelperException("add: overflow for " + l + " + " + r);
      }
    }
    return x.doubleValue() + y.doubleValue();
  }

  /**
   * Divides; integral operands that divide exactly give a Long, otherwise a Double. Division by
   * zero is an error.
   *
   * @param a dividend
   * @param b divisor
   * @return the quotient
   */
  public static Object divide(Object a, Object b) {
    Number x = number(a, "divide");
    Number y = number(b, "divide");
    if (y.doubleValue() == 0.0) {
      throw new HelperException("divide: division by zero");
    }
    if (x instanceof Long l && y instanceof Long r && l % r == 0 && !(l == Long.MIN_VALUE && r == -1)) {
      return l / r;
    }
    return x.doubleValue() / y.doubleValue();
  }

  /**
   * Rounds to the nearest whole number (half up).
   *
   * @param a the value
   * @return a Long
   */
  public static Object round(Object a) {
    Number x = number(a, "round");
    if (x instanceof Long) {
      return x;
    }
    double d = x.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new HelperException("round: " + d + " cannot be rounded");
    }
    return BigDecimal.valueOf(d).setScale(0, RoundingMode.HALF_UP).longValue();
  }

  /**
   * Rounds to a number of decimal places (half up).
   *
   * @param a the value
   * @param digits decimal places, -15..15
   * @return a Long for a whole number (unchanged for digits of 0 or more), else a Double
   */
  public static Object round(Object a, Object digits) {
    Number x = number(a, "round");
    Number n = number(digits, "round");
    if (!(n instanceof Long) || Math.abs(n.longValue()) > 15) {
      throw new HelperException("round: digits must be a whole number between -15 and 15, got " + digits);
    }
    if (x instanceof Long l) {
      // whole numbers round to tens, hundreds... exactly, without passing through a double
      return n.longValue() >= 0 ? l : BigDecimal.valueOf(l).setScale(n.intValue(), RoundingMode.HALF_UP).longValue();
    }
    double d = x.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new HelperException("round: " + d + " cannot be rounded");
    }
    return BigDecimal.valueOf(d).setScale(n.intValue(), RoundingMode.HALF_UP).doubleValue();
  }

  /**
   * Converts a value to a Long (integral) or Double, parsing numeric strings.
   *
   * @param value the value
   * @param fn the helper name for messages
   * @return a Long or a Double
   */
  static Number number(Object value, String fn) {
    if (value == null) {
      throw new HelperException(fn + ": value is null");
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger bi) {
      try {
        return bi.longValueExact();
      } catch (ArithmeticException e) {
        return bi.doubleValue();
      }
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof CharSequence cs) {
      String s = cs.toString().trim();
      if (INTEGER.matcher(s).matches()) {
        try {
          return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
          return Double.parseDouble(s);
        }
      }
      if (DECIMAL.matcher(s).matches()) {
        return Double.parseDouble(s);
      }
      throw new HelperException(fn + ": '" + abbreviate(s) + "' is not a number");
    }
    throw new HelperException(fn + ": a " + value.getClass().getSimpleName() + " is not a number");
  }
}
