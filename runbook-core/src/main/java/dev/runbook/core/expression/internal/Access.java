package dev.runbook.core.expression.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Navigation and the allowed methods, decided by the value's type and nothing else: {@code .name} and
 * {@code [key]} read map entries and list items, and the only callable methods are the listed read-only ones on
 * text, maps and lists, implemented here by hand. No reflection, no class lookup: there is nothing else an
 * expression can reach.
 */
final class Access {

  /** The callable methods and the numbers of arguments each takes. */
  static final Map<String, Set<Integer>> METHOD_ARITIES = Map.ofEntries(
      Map.entry("length", Set.of(0)), Map.entry("isEmpty", Set.of(0)), Map.entry("contains", Set.of(1)),
      Map.entry("startsWith", Set.of(1)), Map.entry("endsWith", Set.of(1)), Map.entry("toLowerCase", Set.of(0)),
      Map.entry("toUpperCase", Set.of(0)), Map.entry("trim", Set.of(0)), Map.entry("substring", Set.of(1, 2)),
      Map.entry("indexOf", Set.of(1)), Map.entry("equals", Set.of(1)), Map.entry("get", Set.of(1)),
      Map.entry("containsKey", Set.of(1)), Map.entry("size", Set.of(0)));

  private Access() {}

  /** {@code target.name} ({@code safe}: {@code target.?name}). */
  static Object property(Object target, String name, boolean safe, String targetText) {
    if (target instanceof SafeCopy.FrozenMap f) {
      // the usual case, checked by class rather than by interface: frozen variables are FrozenMaps
      Object v = f.get(name);
      if (v != null || safe || f.containsKey(name)) {
        return v;
      }
    }
    if (target instanceof Map<?, ?> m) {
      Object v = m.get(name);
      if (v != null || safe || m.containsKey(name)) {
        return v;
      }
      throw new EvaluationFailure("no value named '" + name + "' (use .? or default(...) for optional values)");
    }
    if (target == null) {
      if (safe) {
        return null;
      }
      throw new EvaluationFailure("'" + targetText + "' is null, so it has no '" + name
          + "' (use .? or default(...) for optional values)");
    }
    throw new EvaluationFailure("'" + targetText + "' is " + Ops.describe(target) + ", not a map, so it has no '"
        + name + "'" + (target instanceof List ? " (use [index] for list items)" : ""));
  }

  /** {@code target[key]}: a map entry (null if absent) or a list item. */
  static Object index(Object target, Object key, String targetText) {
    if (target instanceof Map<?, ?> m) {
      return m.get(key);
    }
    if (target instanceof List<?> l) {
      int i = Ops.index(key, "a list index");
      if (i < 0 || i >= l.size()) {
        throw new EvaluationFailure("index " + i + " is out of range for '" + targetText + "' (" + l.size()
            + " items)");
      }
      return l.get(i);
    }
    throw new EvaluationFailure("'" + targetText + "' is " + Ops.describe(target)
        + ", which cannot be indexed (only maps and lists can)");
  }

  /** {@code target.name(args)} for the listed methods. */
  static Object call(Object target, String name, Object[] args, String targetText) {
    if (target instanceof String s) {
      return onText(s, name, args);
    }
    if (target instanceof Map<?, ?> m) {
      switch (name) {
        case "get":
          return m.get(args[0]);
        case "containsKey":
          return m.containsKey(args[0]);
        case "size":
          return m.size();
        case "isEmpty":
          return m.isEmpty();
        case "equals":
          return Ops.equal(m, args[0]);
        default:
          break;
      }
    } else if (target instanceof List<?> l) {
      switch (name) {
        case "get":
          return index(l, args[0], targetText);
        case "size":
          return l.size();
        case "contains":
          return Ops.contains(l, args[0]);
        case "isEmpty":
          return l.isEmpty();
        case "equals":
          return Ops.equal(l, args[0]);
        default:
          break;
      }
    } else if (target == null) {
      throw new EvaluationFailure("'" + targetText + "' is null, so '" + name + "()' cannot be called on it");
    } else if (name.equals("equals")) {
      return Ops.equal(target, args[0]);
    }
    throw new EvaluationFailure("'" + name + "()' cannot be called on " + Ops.describe(target) + " ('"
        + targetText + "')");
  }

  private static Object onText(String s, String name, Object[] args) {
    switch (name) {
      case "length":
        return s.length();
      case "isEmpty":
        return s.isEmpty();
      case "contains":
        return s.contains(Ops.text(args[0], "contains()"));
      case "startsWith":
        return s.startsWith(Ops.text(args[0], "startsWith()"));
      case "endsWith":
        return s.endsWith(Ops.text(args[0], "endsWith()"));
      case "toLowerCase":
        return s.toLowerCase(Locale.ROOT);
      case "toUpperCase":
        return s.toUpperCase(Locale.ROOT);
      case "trim":
        return s.trim();
      case "indexOf":
        return s.indexOf(Ops.text(args[0], "indexOf()"));
      case "equals":
        return s.equals(args[0]);
      case "substring":
        int from = Ops.index(args[0], "substring()");
        int to = args.length > 1 ? Ops.index(args[1], "substring()") : s.length();
        if (from < 0 || to > s.length() || from > to) {
          throw new EvaluationFailure("substring(" + from + (args.length > 1 ? ", " + to : "")
              + ") is out of range for text of length " + s.length());
        }
        return s.substring(from, to);
      default:
        throw new EvaluationFailure("'" + name + "()' cannot be called on text");
    }
  }

  /** A list literal's value: read-only, like the variables. */
  static List<Object> list(Object[] items) {
    List<Object> out = new ArrayList<>(items.length);
    for (Object o : items) {
      out.add(o);
    }
    return new SafeCopy.FrozenList(out);
  }
}
