package dev.runbook.core.expression.internal;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in helpers, usable as functions ({@code base64(x)}) and as template filters
 * ({@code x | base64}). All parameters are {@code Object} so the evaluator never has to coerce; a helper
 * that rejects its arguments throws {@link HelperException}.
 */
public final class StandardFunctions {

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,30}");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d{1,30}\\.?\\d{0,30}|\\.\\d{1,30})([eE][+-]?\\d{1,3})?");
  private static final Pattern QUANTITY = Pattern.compile("(\\d{1,30}(?:\\.\\d{1,30})?|\\.\\d{1,30})\\s*([A-Za-z]{0,2})");
  private static final Pattern CPU = Pattern.compile("(\\d{1,30}(?:\\.\\d{1,30})?|\\.\\d{1,30})\\s*(m?)");

  private static final Map<String, Long> MEMORY_UNITS = new LinkedHashMap<>();
  private static final String[] BINARY_SUFFIXES = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};

  static {
    MEMORY_UNITS.put("", 1L);
    MEMORY_UNITS.put("k", 1_000L);
    MEMORY_UNITS.put("M", 1_000_000L);
    MEMORY_UNITS.put("G", 1_000_000_000L);
    MEMORY_UNITS.put("T", 1_000_000_000_000L);
    MEMORY_UNITS.put("P", 1_000_000_000_000_000L);
    MEMORY_UNITS.put("E", 1_000_000_000_000_000_000L);
    MEMORY_UNITS.put("Ki", 1L << 10);
    MEMORY_UNITS.put("Mi", 1L << 20);
    MEMORY_UNITS.put("Gi", 1L << 30);
    MEMORY_UNITS.put("Ti", 1L << 40);
    MEMORY_UNITS.put("Pi", 1L << 50);
    MEMORY_UNITS.put("Ei", 1L << 60);
  }

  private StandardFunctions() {}

  /**
   * The standard helper table: helper name to arity to method.
   *
   * @return a new mutable map
   */
  public static Map<String, Map<Integer, Method>> table() {
    Map<String, Map<Integer, Method>> t = new TreeMap<>();
    add(t, "parse_memory", "parseMemory", 1);
    add(t, "format_memory", "formatMemory", 1);
    add(t, "parse_cpu", "parseCpu", 1);
    add(t, "format_cpu", "formatCpu", 1);
    add(t, "multiply", "multiply", 2);
    add(t, "divide", "divide", 2);
    add(t, "add", "add", 2);
    add(t, "round", "round", 1);
    add(t, "round", "round", 2);
    add(t, "default", "defaultValue", 2);
    add(t, "lower", "lower", 1);
    add(t, "upper", "upper", 1);
    add(t, "base64", "base64", 1);
    add(t, "base64_decode", "base64Decode", 1);
    add(t, "json", "json", 1);
    add(t, "length", "length", 1);
    add(t, "trim", "trim", 1);
    return t;
  }

  private static void add(Map<String, Map<Integer, Method>> t, String name, String method, int arity) {
    Class<?>[] params = new Class<?>[arity];
    java.util.Arrays.fill(params, Object.class);
    try {
      t.computeIfAbsent(name, k -> new TreeMap<>()).put(arity, StandardFunctions.class.getMethod(method, params));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- memory and cpu

  /**
   * Parses a Kubernetes memory quantity ({@code "256Mi"}, {@code "1.5Gi"}, {@code "1k"},
   * {@code "1048576"}) into bytes. Fractional byte counts are rounded up; milli ({@code m}) is
   * refused.
   *
   * @param quantity a string or a non-negative number
   * @return the number of bytes
   */
  public static Object parseMemory(Object quantity) {
    if (quantity == null) {
      throw new HelperException("parse_memory: value is null");
    }
    if (quantity instanceof Number n) {
      BigDecimal d = decimal(n, "parse_memory");
      if (d.signum() < 0) {
        throw new HelperException("parse_memory: negative quantity " + quantity);
      }
      return toLongBytes(d, quantity);
    }
    String s = String.valueOf(quantity).trim();
    Long quick = parseWholeMemory(s);
    if (quick != null) {
      return quick;
    }
    Matcher m = QUANTITY.matcher(s);
    if (!m.matches()) {
      throw new HelperException("parse_memory: '" + abbreviate(s) + "' is not a memory quantity (e.g. 512Mi, 1.5Gi, 1G, 1048576)");
    }
    String unit = m.group(2);
    if (unit.equals("m")) {
      throw new HelperException("parse_memory: milli ('m') is not a valid memory unit in '" + s + "'");
    }
    Long multiplier = MEMORY_UNITS.get(unit);
    if (multiplier == null) {
      throw new HelperException("parse_memory: unknown unit '" + unit + "' in '" + s
          + "' (valid: k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)");
    }
    return toLongBytes(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(multiplier)), s);
  }

  /**
   * The common case without regex or BigDecimal: up to 15 digits and an optional known unit
   * ({@code 256Mi}, {@code 1G}, {@code 1048576}); null for anything else (decimals, spaces, errors),
   * which the general parser handles.
   */
  private static Long parseWholeMemory(String s) {
    int n = s.length();
    int i = 0;
    long v = 0;
    while (i < n && i < 15) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      v = v * 10 + (c - '0');
      i++;
    }
    if (i == 0 || n - i > 2) {
      return null;
    }
    Long unit = MEMORY_UNITS.get(s.substring(i));
    if (unit == null) {
      return null;
    }
    try {
      return Math.multiplyExact(v, unit);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static Long toLongBytes(BigDecimal bytes, Object original) {
    try {
      return bytes.setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException e) {
      throw new HelperException("parse_memory: '" + original + "' is too large");
    }
  }

  /**
   * Formats bytes with the largest binary unit that divides them exactly
   * ({@code 536870912 -> "512Mi"}, {@code 1500 -> "1500"}).
   *
   * @param bytes a whole number of bytes, or a memory quantity string
   * @return the quantity text
   */
  public static Object formatMemory(Object bytes) {
    if (bytes == null) {
      throw new HelperException("format_memory: value is null");
    }
    long v;
    if (bytes instanceof Number n) {
      BigDecimal d = decimal(n, "format_memory");
      try {
        v = d.stripTrailingZeros().longValueExact();
      } catch (ArithmeticException e) {
        throw new HelperException("format_memory: " + bytes + " is not a whole number of bytes");
      }
    } else {
      v = (Long) parseMemory(bytes);
    }
    if (v == 0) {
      return "0";
    }
    for (String suffix : BINARY_SUFFIXES) {
      long unit = MEMORY_UNITS.get(suffix);
      if (v % unit == 0) {
        return (v / unit) + suffix;
      }
    }
    return Long.toString(v);
  }

  /**
   * Parses a Kubernetes CPU quantity: {@code "500m" -> 0.5}, {@code "2" -> 2.0}.
   *
   * @param quantity a string or a non-negative number
   * @return cores as a Double
   */
  public static Object parseCpu(Object quantity) {
    if (quantity == null) {
      throw new HelperException("parse_cpu: value is null");
    }
    BigDecimal cores;
    if (quantity instanceof Number n) {
      cores = decimal(n, "parse_cpu");
    } else {
      String s = String.valueOf(quantity).trim();
      Matcher m = CPU.matcher(s);
      if (!m.matches()) {
        throw new HelperException("parse_cpu: '" + abbreviate(s) + "' is not a CPU quantity (e.g. 500m, 2, 1.5)");
      }
      cores = new BigDecimal(m.group(1));
      if (!m.group(2).isEmpty()) {
        cores = cores.movePointLeft(3);
      }
    }
    if (cores.signum() < 0) {
      throw new HelperException("parse_cpu: negative quantity " + quantity);
    }
    return cores.doubleValue();
  }

  /**
   * Formats cores as a CPU quantity: {@code 0.5 -> "500m"}, {@code 2.0 -> "2"}. Rounds to whole
   * millicores (at least {@code 1m} for a positive value).
   *
   * @param cores a number of cores or a CPU quantity string
   * @return the quantity text
   */
  public static Object formatCpu(Object cores) {
    if (cores == null) {
      throw new HelperException("format_cpu: value is null");
    }
    BigDecimal c = cores instanceof Number n ? decimal(n, "format_cpu")
        : BigDecimal.valueOf((Double) parseCpu(cores));
    if (c.signum() < 0) {
      throw new HelperException("format_cpu: negative quantity " + cores);
    }
    BigDecimal millis = c.movePointRight(3).setScale(0, RoundingMode.HALF_UP);
    if (millis.signum() == 0 && c.signum() > 0) {
      millis = BigDecimal.ONE;
    }
    BigDecimal[] qr = millis.divideAndRemainder(BigDecimal.valueOf(1000));
    if (qr[1].signum() == 0) {
      return qr[0].toPlainString();
    }
    return millis.toPlainString() + "m";
  }

  // ---------------------------------------------------------------- arithmetic

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
   * @return the value unchanged if integral, else a Double
   */
  public static Object round(Object a, Object digits) {
    Number x = number(a, "round");
    Number n = number(digits, "round");
    if (!(n instanceof Long) || Math.abs(n.longValue()) > 15) {
      throw new HelperException("round: digits must be a whole number between -15 and 15, got " + digits);
    }
    if (x instanceof Long && n.longValue() >= 0) {
      return x;
    }
    double d = x.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new HelperException("round: " + d + " cannot be rounded");
    }
    return BigDecimal.valueOf(d).setScale(n.intValue(), RoundingMode.HALF_UP).doubleValue();
  }

  // ---------------------------------------------------------------- text and values

  /**
   * The fallback when the value is {@code null} or the empty string, else the value.
   *
   * @param value the value
   * @param fallback the fallback
   * @return value or fallback
   */
  public static Object defaultValue(Object value, Object fallback) {
    if (value == null || (value instanceof CharSequence cs && cs.length() == 0)) {
      return fallback;
    }
    return value;
  }

  /**
   * Lower-cases the text of a value (root locale); {@code null} stays {@code null}.
   *
   * @param value the value
   * @return the lower-case text
   */
  public static Object lower(Object value) {
    return value == null ? null : ValueText.of(value).toLowerCase(Locale.ROOT);
  }

  /**
   * Upper-cases the text of a value (root locale); {@code null} stays {@code null}.
   *
   * @param value the value
   * @return the upper-case text
   */
  public static Object upper(Object value) {
    return value == null ? null : ValueText.of(value).toUpperCase(Locale.ROOT);
  }

  /**
   * Trims leading and trailing white space; {@code null} stays {@code null}.
   *
   * @param value the value
   * @return the trimmed text
   */
  public static Object trim(Object value) {
    return value == null ? null : ValueText.of(value).strip();
  }

  /**
   * Base64-encodes the UTF-8 bytes of a value's text.
   *
   * @param value the value (not null)
   * @return the encoding
   */
  public static Object base64(Object value) {
    if (value == null) {
      throw new HelperException("base64: value is null");
    }
    return Base64.getEncoder().encodeToString(ValueText.of(value).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes Base64 (standard or URL-safe alphabet) into UTF-8 text.
   *
   * @param value the encoded text (not null)
   * @return the decoded text
   */
  public static Object base64Decode(Object value) {
    if (value == null) {
      throw new HelperException("base64_decode: value is null");
    }
    String s = ValueText.of(value).strip();
    try {
      byte[] bytes = s.indexOf('-') >= 0 || s.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(s) : Base64.getMimeDecoder().decode(s);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HelperException("base64_decode: not valid Base64: " + e.getMessage());
    }
  }

  /**
   * Serializes a value (maps, lists, strings, numbers, booleans, null) as JSON text, with the project's one JSON
   * policy ({@link dev.runbook.core.internal.Json}: NaN and infinities become {@code null}).
   *
   * @param value the value
   * @return the JSON text
   */
  public static Object json(Object value) {
    try {
      return dev.runbook.core.internal.Json.write(value);
    } catch (IllegalArgumentException e) {
      throw new HelperException("json: " + e.getMessage());
    }
  }

  /**
   * The length of a string, collection, map or array; {@code null} has length 0.
   *
   * @param value the value
   * @return the length as a Long
   */
  public static Object length(Object value) {
    if (value == null) {
      return 0L;
    }
    if (value instanceof CharSequence cs) {
      return (long) cs.length();
    }
    if (value instanceof Collection<?> c) {
      return (long) c.size();
    }
    if (value instanceof Map<?, ?> m) {
      return (long) m.size();
    }
    if (value.getClass().isArray()) {
      return (long) java.lang.reflect.Array.getLength(value);
    }
    throw new HelperException("length: a " + value.getClass().getSimpleName() + " has no length");
  }

  // ---------------------------------------------------------------- numbers

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

  private static BigDecimal decimal(Number n, String fn) {
    if (n instanceof BigDecimal bd) {
      return bd;
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new HelperException(fn + ": " + d + " is not a quantity");
      }
      return BigDecimal.valueOf(d);
    }
    return new BigDecimal(n.toString());
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }
}
