package dev.runbook.mcp.internal;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads an incident from a tool's JSON argument (the shape {@code detect-anomaly} returns, which is
 * {@link Incident#toMap()}), naming the field and the fix for each mistake.
 */
public final class IncidentInput {
    private IncidentInput() {
    }

    /** The incident, or an {@link IllegalArgumentException} whose message names the field and how to fix it. */
    public static Incident parse(Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("'incident' must be an object such as {\"root_cause_reason\": \"MEMORY_SPIKE\", "
                    + "\"rca_confidence\": 1.0, \"resource\": {\"kind\": \"Container\", \"name\": \"web\"}}, got "
                    + describe(value));
        }
        String id = optionalText(m, "incident_id").orElse("mcp-" + UUID.randomUUID());
        String reason = optionalText(m, "root_cause_reason").orElseThrow(() -> new IllegalArgumentException(
                "'incident.root_cause_reason' is missing: give the anomaly, e.g. \"MEMORY_SPIKE\""));
        double confidence = 1.0;
        Object c = m.get("rca_confidence");
        if (c != null) {
            if (!(c instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1) {
                throw new IllegalArgumentException("'incident.rca_confidence' must be a number from 0 to 1, got " + describe(c));
            }
            confidence = n.doubleValue();
        }
        if (!(m.get("resource") instanceof Map<?, ?> r)) {
            throw new IllegalArgumentException("'incident.resource' must be an object with 'kind' and 'name' "
                    + "(e.g. {\"kind\": \"Container\", \"name\": \"web\"}), got " + describe(m.get("resource")));
        }
        String kind = optionalText(r, "kind").orElseThrow(() -> new IllegalArgumentException(
                "'incident.resource.kind' is missing (e.g. \"Container\")"));
        String name = optionalText(r, "name").orElseThrow(() -> new IllegalArgumentException(
                "'incident.resource.name' is missing (the container's name)"));
        Object ns = r.get("namespace");
        if (ns != null && !(ns instanceof String)) {
            throw new IllegalArgumentException("'incident.resource.namespace' must be text (empty for none), got " + describe(ns));
        }
        ResourceRef ref = ResourceRef.of(kind, ns == null ? "" : (String) ns, name);
        Optional<String> controller = optionalText(r, "controller");
        if (controller.isPresent()) {
            ref = ref.withController(controller.get());
        }
        Optional<String> uid = optionalText(r, "uid");
        if (uid.isPresent()) {
            ref = ref.withUid(uid.get());
        }
        var b = Incident.builder(id).rootCause(reason, confidence).resource(ref)
                .symptomReason(optionalText(m, "symptom_reason").orElse(reason));
        Optional<String> time = optionalText(m, "event_time");
        if (time.isPresent()) {
            try {
                b.eventTime(Instant.parse(time.get()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'incident.event_time' must be ISO-8601 such as 2025-01-31T10:15:30Z, got '"
                        + time.get() + "'");
            }
        }
        if (m.get("labels") instanceof Map<?, ?> labels) {
            var out = new java.util.LinkedHashMap<String, String>();
            labels.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
            b.labels(out);
        } else if (m.get("labels") != null) {
            throw new IllegalArgumentException("'incident.labels' must be an object of text values, got " + describe(m.get("labels")));
        }
        if (m.get("attributes") instanceof Map<?, ?> attrs) {
            // attributes are data for conditions and templates, never evaluated themselves
            attrs.forEach((k, v) -> b.attribute(String.valueOf(k), v));
        } else if (m.get("attributes") != null) {
            throw new IllegalArgumentException("'incident.attributes' must be an object, got " + describe(m.get("attributes")));
        }
        return b.build();
    }

    private static Optional<String> optionalText(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("'" + key + "' must be non-empty text, got " + describe(v));
        }
        return Optional.of(s);
    }

    private static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        String s = String.valueOf(v);
        String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return (v instanceof String ? "'" + shown + "'" : shown) + " (" + v.getClass().getSimpleName() + ")";
    }
}
