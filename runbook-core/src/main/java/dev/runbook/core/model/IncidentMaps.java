package dev.runbook.core.model;

import dev.runbook.core.internal.Suggestions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The strict reading behind {@link Incident#fromMap}: every problem an {@link IncidentFieldException}. */
final class IncidentMaps {
    static final List<String> TOP = List.of("incident_id", "symptom_reason", "root_cause_reason", "rca_confidence",
            "resource", "cluster", "event_time", "labels", "attributes", "causal_chain");
    static final List<String> RESOURCE = List.of("kind", "name", "namespace", "uid", "controller", "container_name");
    static final List<String> LINK = List.of("cause_event_id", "cause_reason", "effect_event_id", "confidence");

    private IncidentMaps() {
    }

    static Incident read(Map<String, ?> m) {
        checkKeys(m, "", TOP);
        var b = Incident.builder(requiredText(m, "incident_id", ""));
        b.symptomReason(optionalText(m, "symptom_reason", "").orElse(""));
        String cause = optionalText(m, "root_cause_reason", "").orElse("");
        double confidence = m.get("rca_confidence") == null ? 0.0 : confidence(m.get("rca_confidence"), "rca_confidence");
        b.rootCause(cause, confidence);
        b.resource(resource(m));
        optionalText(m, "cluster", "").ifPresent(b::cluster);
        optionalText(m, "event_time", "").ifPresent(t -> b.eventTime(time(t)));
        if (m.get("labels") != null) {
            var out = new LinkedHashMap<String, String>();
            object(m, "labels", "").forEach((k, v) -> {
                if (!(v instanceof String s)) {
                    throw new IncidentFieldException("labels." + k, "a label value must be text, got " + show(v));
                }
                out.put(k, s);
            });
            b.labels(out);
        }
        if (m.get("attributes") != null) {
            object(m, "attributes", "").forEach(b::attribute);
        }
        if (m.get("causal_chain") != null) {
            b.causalChain(chain(m.get("causal_chain")));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new IncidentFieldException("", String.valueOf(e.getMessage()));
        }
    }

    private static ResourceRef resource(Map<String, ?> m) {
        if (m.get("resource") == null) {
            throw new IncidentFieldException("", "missing field 'resource' ({\"kind\": \"Pod\", \"name\": ..., "
                    + "\"namespace\": ...})");
        }
        Map<String, Object> r = object(m, "resource", "");
        checkKeys(r, "resource.", RESOURCE);
        try {
            var ref = ResourceRef.of(requiredText(r, "kind", "resource."),
                    optionalText(r, "namespace", "resource.").orElse(""), requiredText(r, "name", "resource."));
            ref = optionalText(r, "uid", "resource.").map(ref::withUid).orElse(ref);
            ref = optionalText(r, "controller", "resource.").map(ref::withController).orElse(ref);
            return optionalText(r, "container_name", "resource.").map(ref::withContainerName).orElse(ref);
        } catch (IncidentFieldException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new IncidentFieldException("resource", String.valueOf(e.getMessage()));
        }
    }

    private static List<CausalLink> chain(Object v) {
        if (!(v instanceof List<?> list)) {
            throw new IncidentFieldException("causal_chain", "must be a list of {cause_event_id, cause_reason, "
                    + "effect_event_id, confidence}, got " + show(v));
        }
        var out = new ArrayList<CausalLink>();
        for (int i = 0; i < list.size(); i++) {
            String path = "causal_chain[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?>)) {
                throw new IncidentFieldException(path, "must be an object, got " + show(list.get(i)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> link = (Map<String, Object>) list.get(i);
            checkKeys(link, path + ".", LINK);
            double c = confidence(link.get("confidence"), path + ".confidence");
            out.add(new CausalLink(requiredText(link, "cause_event_id", path + "."),
                    requiredText(link, "cause_reason", path + "."), requiredText(link, "effect_event_id", path + "."), c));
        }
        return out;
    }

    private static double confidence(Object c, String path) {
        if (!(c instanceof Number n) || !(n.doubleValue() >= 0.0 && n.doubleValue() <= 1.0)) {
            throw new IncidentFieldException(path, "must be a number between 0 and 1, got " + show(c));
        }
        return n.doubleValue();
    }

    private static Instant time(String t) {
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new IncidentFieldException("event_time", "must be an ISO-8601 time such as 2025-01-15T10:30:00Z, got "
                    + show(t));
        }
    }

    private static void checkKeys(Map<String, ?> m, String prefix, List<String> allowed) {
        for (Object k : m.keySet()) {
            String key = String.valueOf(k);
            if (!allowed.contains(key)) {
                String hint = Suggestions.closestKey(key, allowed).map(s -> " (did you mean '" + s + "'?)").orElse("");
                throw new IncidentFieldException(prefix + key, "unknown field" + hint + "; known: "
                        + String.join(", ", allowed));
            }
        }
    }

    private static String requiredText(Map<String, ?> m, String key, String prefix) {
        if (m.get(key) == null) {
            throw new IncidentFieldException(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1),
                    "missing field '" + prefix + key + "'");
        }
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IncidentFieldException(prefix + key, "must be non-empty text, got " + show(v));
        }
        return s;
    }

    private static Optional<String> optionalText(Map<String, ?> m, String key, String prefix) {
        Object v = m.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new IncidentFieldException(prefix + key, "must be text, got " + show(v));
        }
        return Optional.of(s);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, ?> m, String key, String prefix) {
        Object v = m.get(key);
        if (!(v instanceof Map<?, ?> map)) {
            throw new IncidentFieldException(prefix + key, "must be an object, got " + show(v));
        }
        for (Object k : map.keySet()) {
            if (!(k instanceof String)) {
                throw new IncidentFieldException(prefix + key, "keys must be text, got " + show(k));
            }
        }
        return (Map<String, Object>) v;
    }

    /** The offending value as a reader would recognise it, cut short. */
    static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "\"" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "\"";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        String s = String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
