package dev.runbook.core.expression.internal;

import static dev.runbook.core.expression.internal.StandardFunctions.abbreviate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes quantity helpers of {@link StandardFunctions}: {@code parse_memory}, {@code format_memory},
 * {@code parse_cpu} and {@code format_cpu}.
 */
public final class QuantityFunctions {

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

  private QuantityFunctions() {}

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
   * @param bytes a non-negative whole number of bytes, or a memory quantity string
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
    if (v < 0) {
      // parse_memory and Kubernetes refuse "-512Mi": fail at the helper, not later at the API server
      throw new HelperException("format_memory: negative quantity " + bytes);
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
}
