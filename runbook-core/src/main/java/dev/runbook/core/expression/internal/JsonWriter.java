package dev.runbook.core.expression.internal;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** A small JSON writer for plain data (maps, collections, arrays, strings, numbers, booleans). */
public final class JsonWriter {

  private static final int MAX_DEPTH = 100;

  private JsonWriter() {}

  /**
   * Serializes a value. Non-finite numbers become {@code null}; other objects their string text.
   *
   * @param value the value, may be null
   * @return compact JSON text
   */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb, 0);
    return sb.toString();
  }

  private static void write(Object v, StringBuilder sb, int depth) {
    if (depth > MAX_DEPTH) {
      throw new HelperException("json: value nested deeper than " + MAX_DEPTH);
    }
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Number n) {
      if ((n instanceof Double || n instanceof Float)
          && (Double.isNaN(n.doubleValue()) || Double.isInfinite(n.doubleValue()))) {
        sb.append("null");
      } else {
        sb.append(n instanceof Double || n instanceof Float ? String.valueOf(n) : ValueText.of(n));
      }
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(String.valueOf(e.getKey()), sb);
        sb.append(':');
        write(e.getValue(), sb, depth + 1);
      }
      sb.append('}');
    } else if (v instanceof Collection<?> c) {
      sb.append('[');
      for (Iterator<?> it = c.iterator(); it.hasNext(); ) {
        write(it.next(), sb, depth + 1);
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      sb.append(']');
    } else if (v.getClass().isArray()) {
      sb.append('[');
      int n = Array.getLength(v);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(Array.get(v, i), sb, depth + 1);
      }
      sb.append(']');
    } else {
      string(String.valueOf(v), sb);
    }
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
