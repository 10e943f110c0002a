package dev.runbook.core.expression.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * The text and value helpers of {@link StandardFunctions}: {@code default}, {@code lower}, {@code upper},
 * {@code trim}, {@code base64}, {@code base64_decode}, {@code json} and {@code length}.
 */
public final class TextFunctions {

  private TextFunctions() {}

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
}
