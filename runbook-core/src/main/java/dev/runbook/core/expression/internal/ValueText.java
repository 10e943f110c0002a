package dev.runbook.core.expression.internal;

import java.math.BigDecimal;

/** How values are turned into template text. */
public final class ValueText {

  private ValueText() {}

  /**
   * The text of a value: {@code null} is empty, decimals without trailing zeros
   * ({@code 512.0 -> "512"}), everything else {@link String#valueOf(Object)}.
   *
   * @param value the value
   * @return the text, never null
   */
  public static String of(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return String.valueOf(d);
      }
      BigDecimal bd = value instanceof Float ? new BigDecimal(value.toString()) : BigDecimal.valueOf(d);
      return bd.stripTrailingZeros().toPlainString();
    }
    if (value instanceof BigDecimal bd) {
      return bd.stripTrailingZeros().toPlainString();
    }
    return String.valueOf(value);
  }
}
