package dev.runbook.mcp.internal;

import dev.runbook.core.model.Incident;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Reads an incident from a tool's JSON argument (the shape {@code detect-anomaly} returns, which is
 * {@link Incident#toMap()}) with {@link Incident#fromMap}, after filling in what an agent may leave out.
 */
public final class IncidentInput {
    private IncidentInput() {
    }

    /**
     * The incident, or an {@link IllegalArgumentException} whose message names the field and how to fix it. An agent
     * may leave out {@code incident_id} (one is made up), {@code rca_confidence} (1.0: the agent is the diagnosis)
     * and {@code symptom_reason} (the root cause); {@code root_cause_reason} is what runbooks match, so it is required.
     */
    public static Incident parse(Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("'incident' must be an object such as {\"root_cause_reason\": \"MEMORY_SPIKE\", "
                    + "\"rca_confidence\": 1.0, \"resource\": {\"kind\": \"Container\", \"name\": \"web\"}}, got "
                    + describe(value));
        }
        var fields = new LinkedHashMap<String, Object>();
        m.forEach((k, v) -> fields.put(String.valueOf(k), v));
        if (!(fields.get("root_cause_reason") instanceof String reason) || reason.isBlank()) {
            throw new IllegalArgumentException(fields.get("root_cause_reason") == null
                    ? "'incident.root_cause_reason' is missing: give the anomaly, e.g. \"MEMORY_SPIKE\""
                    : "'incident.root_cause_reason' must be non-empty text, got " + describe(fields.get("root_cause_reason")));
        }
        fields.putIfAbsent("incident_id", "mcp-" + UUID.randomUUID());
        fields.putIfAbsent("rca_confidence", 1.0);
        fields.putIfAbsent("symptom_reason", reason);
        return Incident.fromMap(fields);
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
