package dev.runbook.core.expression.internal;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;

/**
 * The built-in helpers, usable as functions ({@code base64(x)}) and as template filters
 * ({@code x | base64}). All parameters are {@code Object} so the evaluator never has to coerce; a helper
 * that rejects its arguments throws {@link HelperException}.
 *
 * <p>This class is their table; the helpers themselves live by family in {@link QuantityFunctions},
 * {@link ArithmeticFunctions} and {@link TextFunctions}.
 */
public final class StandardFunctions {

  private StandardFunctions() {}

  /**
   * The standard helper table: helper name to arity to method.
   *
   * @return a new mutable map
   */
  public static Map<String, Map<Integer, Method>> table() {
    Map<String, Map<Integer, Method>> t = new TreeMap<>();
    add(t, "parse_memory", QuantityFunctions.class, "parseMemory", 1);
    add(t, "format_memory", QuantityFunctions.class, "formatMemory", 1);
    add(t, "parse_cpu", QuantityFunctions.class, "parseCpu", 1);
    add(t, "format_cpu", QuantityFunctions.class, "formatCpu", 1);
    add(t, "multiply", ArithmeticFunctions.class, "multiply", 2);
    add(t, "divide", ArithmeticFunctions.class, "divide", 2);
    add(t, "add", ArithmeticFunctions.class, "add", 2);
    add(t, "round", ArithmeticFunctions.class, "round", 1);
    add(t, "round", ArithmeticFunctions.class, "round", 2);
    add(t, "default", TextFunctions.class, "defaultValue", 2);
    add(t, "lower", TextFunctions.class, "lower", 1);
    add(t, "upper", TextFunctions.class, "upper", 1);
    add(t, "base64", TextFunctions.class, "base64", 1);
    add(t, "base64_decode", TextFunctions.class, "base64Decode", 1);
    add(t, "json", TextFunctions.class, "json", 1);
    add(t, "length", TextFunctions.class, "length", 1);
    add(t, "trim", TextFunctions.class, "trim", 1);
    return t;
  }

  private static void add(Map<String, Map<Integer, Method>> t, String name, Class<?> family, String method,
      int arity) {
    Class<?>[] params = new Class<?>[arity];
    java.util.Arrays.fill(params, Object.class);
    try {
      t.computeIfAbsent(name, k -> new TreeMap<>()).put(arity, family.getMethod(method, params));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Cuts long input to 60 characters for helper messages (shared by the families). */
  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }
}
