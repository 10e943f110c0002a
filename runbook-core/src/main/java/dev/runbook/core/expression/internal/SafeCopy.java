package dev.runbook.core.expression.internal;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Defensive, read-only deep copy of input data, so that nothing an expression (or a helper) does
 * can change the caller's objects, and so that expressions only ever see maps, lists, strings,
 * numbers, booleans and null. Maps and records become read-only maps; collections (sets too) and
 * arrays become read-only lists; strings, booleans and standard immutable numbers are kept;
 * mutable numbers (e.g. {@code AtomicLong}) become Long/Double; enums become their name; any other
 * object (characters, java.time values, ...) is replaced by its text.
 */
public final class SafeCopy {

  private static final int MAX_DEPTH = 64;

  private SafeCopy() {}

  /**
   * Copies a value.
   *
   * @param value the input value, may be null
   * @return a read-only copy
   * @throws HelperException if the data is nested deeper than 64 levels (or cyclic)
   */
  public static Object copy(Object value) {
    return copy(value, 0);
  }

  /**
   * Whether a value is already a read-only copy made here: such values are passed to expressions as they
   * are, so that the engine can freeze its variables once per change instead of once per evaluation.
   *
   * @param value any value
   * @return true for maps and lists made by {@link #copy}
   */
  public static boolean isFrozen(Object value) {
    return value instanceof FrozenMap || value instanceof FrozenList;
  }

  /** A read-only map made by {@link #copy}; recognised so it is never copied twice. */
  static final class FrozenMap extends AbstractMap<Object, Object> {
    // Lookups go straight to the copy (they are the hot path of every evaluation); iteration goes through a
    // read-only view so no entry can be changed.
    private final Map<Object, Object> delegate;
    private final Map<Object, Object> view;

    FrozenMap(Map<Object, Object> delegate) {
      this.delegate = delegate;
      this.view = Collections.unmodifiableMap(delegate);
    }

    @Override
    public Object get(Object key) {
      return delegate.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return delegate.containsKey(key);
    }

    @Override
    public int size() {
      return delegate.size();
    }

    @Override
    public Set<Entry<Object, Object>> entrySet() {
      return view.entrySet();
    }
  }

  /** A read-only list made by {@link #copy}; recognised so it is never copied twice. */
  static final class FrozenList extends AbstractList<Object> implements RandomAccess {
    private final List<Object> delegate;

    FrozenList(List<Object> delegate) {
      this.delegate = delegate;
    }

    @Override
    public Object get(int index) {
      return delegate.get(index);
    }

    @Override
    public int size() {
      return delegate.size();
    }
  }

  private static Object copy(Object v, int depth) {
    if (v instanceof FrozenMap || v instanceof FrozenList) {
      return v;
    }
    if (v == null || v instanceof String || v instanceof Boolean
        || v instanceof Long || v instanceof Integer || v instanceof Double || v instanceof Float
        || v instanceof Short || v instanceof Byte || v instanceof BigDecimal || v instanceof BigInteger) {
      return v;
    }
    if (v instanceof Enum<?> e) {
      return e.name(); // the name, not the constant: its class would be reachable from it
    }
    if (depth >= MAX_DEPTH) {
      throw new HelperException("input data nested deeper than " + MAX_DEPTH + " levels (or cyclic)");
    }
    if (v instanceof Number n) {
      BigDecimal d = new BigDecimal(n.toString());
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return d.doubleValue();
      }
    }
    if (v instanceof CharSequence cs) {
      return cs.toString();
    }
    if (v instanceof Optional<?> o) {
      return copy(o.orElse(null), depth + 1);
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>(Math.max(4, m.size() * 2));
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(copy(e.getKey(), depth + 1), copy(e.getValue(), depth + 1));
      }
      return new FrozenMap(out);
    }
    if (v instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      for (Object o : c) {
        out.add(copy(o, depth + 1));
      }
      return new FrozenList(out);
    }
    if (v.getClass().isArray()) {
      int n = Array.getLength(v);
      List<Object> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(copy(Array.get(v, i), depth + 1));
      }
      return new FrozenList(out);
    }
    if (v instanceof Record r) {
      Map<Object, Object> out = new LinkedHashMap<>();
      try {
        for (RecordComponent rc : r.getClass().getRecordComponents()) {
          out.put(rc.getName(), copy(rc.getAccessor().invoke(r), depth + 1));
        }
        return new FrozenMap(out);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return String.valueOf(v);
      }
    }
    return String.valueOf(v);
  }
}
