package dev.runbook.core.expression.internal;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Immutable table of helper functions: name to (arity to static method), so one helper name may
 * have several arities (e.g. {@code round(x)} and {@code round(x, digits)}). The evaluator calls
 * exactly these methods and no other.
 */
public final class FunctionTable {

  /** A prefix once used for MVEL imports of helpers; still refused in source text and as a name. */
  public static final String MANGLE_PREFIX = "__rb_";

  private final Map<String, Map<Integer, Method>> byName;

  /**
   * Creates a table.
   *
   * @param byName name to arity to method; copied
   */
  public FunctionTable(Map<String, Map<Integer, Method>> byName) {
    Map<String, Map<Integer, Method>> copy = new TreeMap<>();
    byName.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
    this.byName = Collections.unmodifiableMap(copy);
  }

  /**
   * Registered helper names.
   *
   * @return an unmodifiable sorted set
   */
  public Set<String> names() {
    return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
  }

  /**
   * Whether a helper of that name exists.
   *
   * @param name helper name
   * @return true if registered
   */
  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /**
   * The arities a helper accepts.
   *
   * @param name helper name
   * @return the arities, empty if unknown
   */
  public Set<Integer> arities(String name) {
    Map<Integer, Method> m = byName.get(name);
    return m == null ? Set.of() : m.keySet();
  }

  /**
   * The method implementing a helper at an arity.
   *
   * @param name helper name
   * @param arity number of arguments
   * @return the method if registered
   */
  public Optional<Method> method(String name, int arity) {
    Map<Integer, Method> m = byName.get(name);
    return m == null ? Optional.empty() : Optional.ofNullable(m.get(arity));
  }

  /**
   * A mutable copy of the contents, for builders.
   *
   * @return name to arity to method
   */
  public Map<String, Map<Integer, Method>> toMap() {
    Map<String, Map<Integer, Method>> copy = new LinkedHashMap<>();
    byName.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
    return copy;
  }
}
