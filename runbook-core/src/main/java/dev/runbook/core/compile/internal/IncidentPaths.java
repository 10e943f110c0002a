package dev.runbook.core.compile.internal;

import dev.runbook.core.compile.Problem;
import dev.runbook.core.internal.Suggestions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields the variable {@code incident} has ({@link dev.runbook.core.model.Incident#toMap()}), so that a
 * misspelled path is refused when a runbook is loaded instead of rendering as nothing when it runs. {@code labels},
 * {@code attributes} and {@code causal_chain} hold whatever the incident brings and are not checked below them.
 */
public final class IncidentPaths {
    /** A field holding a single value. */
    private static final Object VALUE = "value";
    /** A field whose content varies by incident. */
    private static final Object DYNAMIC = "dynamic";
    private static final Map<String, Object> FIELDS = tree();

    private IncidentPaths() {
    }

    private static Map<String, Object> tree() {
        var resource = new LinkedHashMap<String, Object>();
        for (String f : List.of("kind", "name", "namespace", "uid", "controller", "container_name")) {
            resource.put(f, VALUE);
        }
        var m = new LinkedHashMap<String, Object>();
        for (String f : List.of("incident_id", "symptom_reason", "root_cause_reason", "rca_confidence")) {
            m.put(f, VALUE);
        }
        m.put("resource", java.util.Collections.unmodifiableMap(resource));
        m.put("cluster", VALUE);
        m.put("event_time", VALUE);
        m.put("labels", DYNAMIC);
        m.put("causal_chain", DYNAMIC);
        m.put("attributes", DYNAMIC);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Reports each path into the incident among {@code paths} that it cannot have, read at {@code path}. */
    public static void check(Set<List<String>> paths, String path, String source, String runbookId,
                             List<Problem> problems) {
        for (List<String> p : paths) {
            if (p.get(0).equals("incident")) {
                Optional<String> bad = problem(p);
                if (bad.isPresent()) {
                    problems.add(new Problem(runbookId, path, bad.get() + " in '" + source + "'"));
                }
            }
        }
    }

    /**
     * Why this path (starting with {@code incident}) leads to no field of the incident, with a did-you-mean; empty
     * when the incident can have it.
     */
    public static Optional<String> problem(List<String> path) {
        Object node = FIELDS;
        for (int i = 1; i < path.size(); i++) {
            if (node == DYNAMIC) {
                return Optional.empty();
            }
            if (node == VALUE) {
                return Optional.of("'" + prefix(path, i) + "' is a single value; it has no field '" + path.get(i) + "'");
            }
            @SuppressWarnings("unchecked")
            var fields = (Map<String, Object>) node;
            Object next = fields.get(path.get(i));
            if (next == null) {
                String prefix = prefix(path, i);
                String hint = Suggestions.closest(path.get(i), fields.keySet())
                        .map(s -> " (did you mean '" + prefix + "." + s + "'?)")
                        .orElse(" ('" + prefix + "' has: " + String.join(", ", fields.keySet()) + ")");
                return Optional.of("unknown field '" + prefix(path, i + 1) + "'" + hint);
            }
            node = next;
        }
        return Optional.empty();
    }

    /** The first {@code n} names of the path, dotted: built only for a problem, as almost every path is fine. */
    private static String prefix(List<String> path, int n) {
        return String.join(".", path.subList(0, n));
    }
}
