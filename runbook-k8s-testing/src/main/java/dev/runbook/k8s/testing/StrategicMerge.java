package dev.runbook.k8s.testing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}) as the API server applies it (apimachinery's
 * {@code strategicpatch.StrategicMergeMapPatch}), for the test stand-in only, on the fields our actions patch: object
 * metadata, Pods, and the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs.
 * <ul>
 *   <li>Maps merge recursively; a {@code null} value deletes its key.</li>
 *   <li>A list merges by the merge key {@link MergeKeys} gives for its field path, or as a set of primitives, or
 *       else is replaced whole (the API's default: {@code tolerations}, {@code args}, {@code command}, ...). Merged lists are
 *       ordered as apimachinery orders them: patch items in patch order, interleaved with the live-only items by
 *       their live order.</li>
 *   <li>Directives: {@code $patch: delete} (a list element: delete the elements with its merge key; a map: delete
 *       the map), {@code $patch: replace} (a list element or a map: take the patch literally), {@code $retainKeys},
 *       {@code $deleteFromPrimitiveList/<field>}, {@code $setElementOrder/<field>}.</li>
 * </ul>
 * Not modelled: kinds and fields outside {@link MergeKeys} (their lists are replaced, so a list the real server
 * would merge is replaced here); strategies a server reads from the CRD or OpenAPI schema at run time. Where apimachinery and
 * the strategic-merge-patch document disagree ({@code $patch: delete} in a map leaves an empty map in apimachinery,
 * which decodes to an empty struct) this follows the document: the key is removed. Values taken from the patch
 * literally lose their {@code $}-directives and {@code null}s, as the server's typed decoding drops them.
 *
 * @see <a href="https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md">strategic-merge-patch.md</a>
 */
public final class StrategicMerge {
    /** A patch the server would refuse (it answers 400 or 422 with this message). */
    public static final class InvalidPatchException extends IllegalArgumentException {
        InvalidPatchException(String message) {
            super(message);
        }
    }

    private static final String PATCH = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM = "$deleteFromPrimitiveList/";
    private static final String SET_ORDER = "$setElementOrder/";

    private StrategicMerge() {
    }

    /**
     * {@code patch} applied to {@code live}; neither is changed. The maps and lists built here are unmodifiable; the
     * parts of {@code live} the patch leaves alone are shared, not copied.
     *
     * @throws InvalidPatchException for a patch the API server refuses (a merge-list element without its merge key,
     *                               a key outside {@code $retainKeys}, an unknown {@code $patch}, ...)
     */
    public static Map<String, Object> apply(Map<String, Object> live, Map<String, Object> patch) {
        Map<String, Object> merged = mergeMap("", live, patch);
        if (merged == null) {
            throw new InvalidPatchException("$patch: delete on the whole object");
        }
        return merged;
    }

    /** The merged map, or null when the patch deletes it ({@code $patch: delete}). */
    private static Map<String, Object> mergeMap(String path, Map<String, Object> original, Map<String, Object> patch) {
        if (patch.containsKey(PATCH)) {
            Object directive = patch.get(PATCH);
            if ("replace".equals(directive)) {
                return cleanMap(patch);
            }
            if ("delete".equals(directive)) {
                return null;
            }
            throw new InvalidPatchException("unknown $patch directive in a map: " + directive);
        }
        var out = new LinkedHashMap<>(original);
        retainKeys(out, patch);
        var handled = new HashSet<String>();
        // order directives first, with their list (apimachinery's mergePatchIntoOriginal), then deletions, then the rest
        patch.forEach((k, v) -> {
            if (k.startsWith(SET_ORDER)) {
                String field = k.substring(SET_ORDER.length());
                setElementOrder(child(path, field), out, field, list(k, v), patch.get(field));
                handled.add(field);
            }
        });
        patch.forEach((k, v) -> {
            if (k.startsWith(DELETE_FROM)) {
                String field = k.substring(DELETE_FROM.length());
                if (out.get(field) instanceof List<?> current) {
                    List<?> gone = list(k, v);
                    out.put(field, freeze(current.stream().filter(e -> gone.stream().noneMatch(g -> same(e, g))).toList()));
                }
            }
        });
        patch.forEach((k, v) -> {
            if (k.startsWith("$") || handled.contains(k)) {
                return;
            }
            Object was = out.get(k);
            if (v == null) {
                out.remove(k);
            } else if (was instanceof Map<?, ?> o && v instanceof Map<?, ?> p) {
                Map<String, Object> m = mergeMap(child(path, k), cast(o), cast(p));
                if (m == null) {
                    out.remove(k);
                } else {
                    out.put(k, m);
                }
            } else if (was instanceof List<?> o && v instanceof List<?> p) {
                out.put(k, mergeList(child(path, k), o, p));
            } else {
                Object literal = clean(v);
                if (literal == null) {
                    out.remove(k);
                } else {
                    out.put(k, literal);
                }
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** {@code $retainKeys}: every key the patch sets must be listed; live keys not listed are cleared. */
    private static void retainKeys(Map<String, Object> out, Map<String, Object> patch) {
        if (!patch.containsKey(RETAIN_KEYS)) {
            return;
        }
        List<?> keep = list(RETAIN_KEYS, patch.get(RETAIN_KEYS));
        patch.forEach((k, v) -> {
            if (v != null && !k.startsWith("$") && !keep.contains(k)) {
                throw new InvalidPatchException("$retainKeys " + keep + " does not list the patched field " + k);
            }
        });
        out.keySet().removeIf(k -> !keep.contains(k));
    }

    private static List<Object> mergeList(String path, List<?> original, List<?> patch) {
        Optional<MergeKeys.ListStrategy> strategy = MergeKeys.strategy(path);
        if (strategy.isEmpty()) {
            return cleanList(patch);
        }
        Optional<String> key = strategy.get().mergeKey();
        if (key.isEmpty()) {
            var merged = new ArrayList<Object>();
            for (Object e : concat(original, patch)) {
                if (merged.stream().noneMatch(m -> same(m, e))) {
                    merged.add(e);
                }
            }
            return order(merged, patch, original, Function.identity());
        }
        String mergeKey = key.get();
        Function<Object, Object> id = e -> ((Map<?, ?>) e).get(mergeKey);
        var merged = new ArrayList<Object>(maps(path, original));
        var plain = new ArrayList<Object>();
        boolean replace = false;
        for (Map<String, Object> e : maps(path, patch)) {
            Object directive = e.get(PATCH);
            if (directive == null) {
                plain.add(e);
            } else if ("delete".equals(directive)) {
                Object value = keyOf(path, e, mergeKey);
                merged.removeIf(m -> same(id.apply(m), value));
            } else if ("replace".equals(directive)) {
                replace = true;
            } else {
                throw new InvalidPatchException("unsupported $patch in list " + path + ": " + directive);
            }
        }
        if (replace) {
            return cleanList(plain);
        }
        for (Object e : plain) {
            Object value = keyOf(path, cast(e), mergeKey);
            int at = indexOf(merged, value, id);
            if (at >= 0) {
                merged.set(at, mergeMap(path, cast(merged.get(at)), cast(e)));
            } else {
                merged.add(clean(e));
            }
        }
        return order(merged, plain, original, id);
    }

    /** {@code $setElementOrder/<field>}: the field merged as usual, then its items in the directive's order. */
    private static void setElementOrder(String path, Map<String, Object> out, String field, List<?> order, Object patched) {
        List<?> original = out.get(field) instanceof List<?> l ? l : null;
        List<?> patchList = patched instanceof List<?> l ? l : null;
        if (original == null && patchList == null) {
            return;
        }
        Optional<String> key = MergeKeys.strategy(path).flatMap(MergeKeys.ListStrategy::mergeKey);
        Function<Object, Object> id = key.<Function<Object, Object>>map(k -> e -> e instanceof Map<?, ?> m ? m.get(k) : e)
                .orElse(Function.identity());
        if (patchList != null) {
            checkOrder(path, patchList, order, id);
        }
        List<?> merged = original == null ? cleanList(patchList)
                : patchList == null ? original : mergeList(path, original, patchList);
        out.put(field, order(merged, order, original == null ? List.of() : original, id));
    }

    /** The patch's items must appear in the {@code $setElementOrder} list, in the same relative order. */
    private static void checkOrder(String path, List<?> patch, List<?> order, Function<Object, Object> id) {
        int at = 0;
        for (Object e : patch) {
            if (e instanceof Map<?, ?> m && m.containsKey(PATCH)) {
                continue;
            }
            while (at < order.size() && !same(id.apply(order.get(at)), id.apply(e))) {
                at++;
            }
            if (at == order.size()) {
                throw new InvalidPatchException("the order of " + path + " in the patch does not match its $setElementOrder");
            }
            at++;
        }
    }

    /**
     * apimachinery's normalizeElementOrder: the items named in {@code wanted} (in that order) interleaved with the
     * others (in their live order); at each step a live-only item goes first only if it stood before the next wanted
     * item in the live list.
     */
    private static List<Object> order(List<?> merged, List<?> wanted, List<?> live, Function<Object, Object> id) {
        var fromPatch = new ArrayList<Object>();
        var serverOnly = new ArrayList<Object>();
        for (Object e : merged) {
            (indexOf(wanted, id.apply(e), id) >= 0 ? fromPatch : serverOnly).add(e);
        }
        fromPatch.sort((a, b) -> Integer.compare(indexOf(wanted, id.apply(a), id), indexOf(wanted, id.apply(b), id)));
        serverOnly.sort((a, b) -> Integer.compare(rank(live, a, id), rank(live, b, id)));
        var out = new ArrayList<Object>(merged.size());
        int i = 0;
        int j = 0;
        while (i < serverOnly.size() || j < fromPatch.size()) {
            if (j >= fromPatch.size()) {
                out.add(serverOnly.get(i++));
            } else if (i >= serverOnly.size()) {
                out.add(fromPatch.get(j++));
            } else {
                int li = indexOf(live, id.apply(serverOnly.get(i)), id);
                int ri = indexOf(live, id.apply(fromPatch.get(j)), id);
                out.add(li >= 0 && ri >= 0 && li < ri ? serverOnly.get(i++) : fromPatch.get(j++));
            }
        }
        return freeze(out);
    }

    private static int rank(List<?> live, Object e, Function<Object, Object> id) {
        int at = indexOf(live, id.apply(e), id);
        return at < 0 ? Integer.MAX_VALUE : at;
    }

    private static int indexOf(List<?> list, Object value, Function<Object, Object> id) {
        for (int i = 0; i < list.size(); i++) {
            if (same(id.apply(list.get(i)), value)) {
                return i;
            }
        }
        return -1;
    }

    private static Object keyOf(String path, Map<String, Object> element, String mergeKey) {
        Object value = element.get(mergeKey);
        if (value == null) {
            throw new InvalidPatchException("an element of " + path + " has no merge key " + mergeKey + ": " + element);
        }
        return value;
    }

    private static List<Map<String, Object>> maps(String path, List<?> list) {
        var out = new ArrayList<Map<String, Object>>();
        for (Object e : list) {
            if (!(e instanceof Map<?, ?> m)) {
                throw new InvalidPatchException(path + " merges by key, but has an element that is not an object: " + e);
            }
            out.add(cast(m));
        }
        return out;
    }

    /** JSON equality of scalars: numbers by value (the same port may be read as an Integer or a Long). */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return a != null && a.equals(b);
    }

    /** A value taken literally: without directives and nulls (the server's typed decoding drops them). */
    private static Object clean(Object value) {
        if (value instanceof Map<?, ?> m) {
            return "delete".equals(m.get(PATCH)) ? null : cleanMap(cast(m));
        }
        if (value instanceof List<?> l) {
            return cleanList(l);
        }
        return value;
    }

    private static Map<String, Object> cleanMap(Map<String, Object> map) {
        var out = new LinkedHashMap<String, Object>();
        map.forEach((k, v) -> {
            Object c = k.startsWith("$") ? null : clean(v);
            if (c != null) {
                out.put(k, c);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private static List<Object> cleanList(List<?> list) {
        var out = new ArrayList<Object>();
        for (Object e : list) {
            // an element carrying $patch is a directive, never data
            if (!(e instanceof Map<?, ?> m && m.containsKey(PATCH))) {
                Object c = clean(e);
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return freeze(out);
    }

    private static List<?> list(String key, Object value) {
        if (value instanceof List<?> l) {
            return l;
        }
        throw new InvalidPatchException(key + " must be a list, not " + value);
    }

    private static List<Object> concat(List<?> a, List<?> b) {
        var out = new ArrayList<Object>(a);
        out.addAll(b);
        return out;
    }

    private static List<Object> freeze(List<?> list) {
        return Collections.unmodifiableList(new ArrayList<>(list));
    }

    private static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }
}
