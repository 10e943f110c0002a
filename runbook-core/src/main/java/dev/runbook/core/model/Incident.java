package dev.runbook.core.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An incident with its root-cause finding: the fields of the seed's {@code incident_context} query
 * plus cluster, event time, labels, the causal chain and free attributes (metric values of an anomaly).
 * Everything in it is untrusted data: templates read it, never evaluate it.
 *
 * @param incidentId      the symptom event's id ({@code eid})
 * @param symptomReason   the symptom's reason ({@code CrashLoopBackOff})
 * @param rootCauseReason the most likely cause's reason ({@code OOMKilled}); empty when RCA found none
 * @param rcaConfidence   the cause's confidence, 0..1
 * @param resource        the resource the symptom is about
 * @param cluster         the cluster, when the host runs several
 * @param eventTime       when the symptom happened
 * @param labels          labels for matching
 * @param causalChain     the chain behind the cause, nearest first
 * @param attributes      further facts (numbers, strings, lists, maps), for instance {@code memory_percent}
 */
public record Incident(
        String incidentId,
        String symptomReason,
        String rootCauseReason,
        double rcaConfidence,
        ResourceRef resource,
        Optional<String> cluster,
        Optional<Instant> eventTime,
        Map<String, String> labels,
        List<CausalLink> causalChain,
        Map<String, Object> attributes) {

    public Incident {
        Objects.requireNonNull(incidentId, "incidentId");
        if (incidentId.isBlank()) {
            throw new IllegalArgumentException("incident id must not be blank");
        }
        Objects.requireNonNull(symptomReason, "symptomReason");
        Objects.requireNonNull(rootCauseReason, "rootCauseReason");
        if (!(rcaConfidence >= 0.0 && rcaConfidence <= 1.0)) {
            throw new IllegalArgumentException("rca_confidence must be between 0 and 1, got " + rcaConfidence);
        }
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(eventTime, "eventTime");
        labels = Sets.orderedMap(labels, "labels");
        causalChain = List.copyOf(causalChain);
        attributes = plainCopy(Objects.requireNonNull(attributes, "attributes"));
    }

    /**
     * Reads an incident from plain data: what {@link #toMap()} wrote (a journal), a parsed JSON file (the CLI) or a
     * tool's argument (MCP). Strict, so that a slip is caught where it is made rather than in a runbook's match:
     * <ul>
     * <li>keys: {@code incident_id} (non-empty text) and {@code resource} ({@code kind} and {@code name}, non-empty
     * text; {@code namespace}, {@code uid}, {@code controller}, {@code container_name} text) are required;
     * {@code symptom_reason}, {@code root_cause_reason}, {@code cluster}, {@code event_time} (ISO-8601, offset
     * allowed) are text; {@code rca_confidence} is a number from 0 to 1 (0 when absent); {@code labels} an object
     * of text; {@code attributes} an object of plain values; {@code causal_chain} a list of
     * {@code {cause_event_id, cause_reason, effect_event_id, confidence}};</li>
     * <li>an unknown key is refused with the closest known one ("did you mean") and the list of known keys;</li>
     * <li>a {@code null} value counts as absent.</li>
     * </ul>
     *
     * @param map the incident's fields, snake_case as {@link #toMap()} writes them
     * @return the incident
     * @throws IncidentFieldException naming the field's path and the offending value (the first problem found)
     */
    public static Incident fromMap(Map<String, ?> map) {
        return IncidentMaps.read(Objects.requireNonNull(map, "map"));
    }

    /** A builder for an incident with this id. */
    public static Builder builder(String incidentId) {
        return new Builder(incidentId);
    }

    /**
     * The incident as the variable {@code incident} that templates and expressions read:
     * {@code incident_id, symptom_reason, root_cause_reason, rca_confidence, resource{kind, name, namespace,
     * uid, controller, container_name}, cluster, event_time (ISO-8601), labels, causal_chain, attributes}.
     * Absent optional fields are absent keys. The map is unmodifiable.
     */
    public Map<String, Object> toMap() {
        var res = new LinkedHashMap<String, Object>();
        res.put("kind", resource.kind());
        res.put("name", resource.name());
        res.put("namespace", resource.namespace());
        resource.uid().ifPresent(v -> res.put("uid", v));
        resource.controller().ifPresent(v -> res.put("controller", v));
        resource.containerName().ifPresent(v -> res.put("container_name", v));
        var m = new LinkedHashMap<String, Object>();
        m.put("incident_id", incidentId);
        m.put("symptom_reason", symptomReason);
        m.put("root_cause_reason", rootCauseReason);
        m.put("rca_confidence", rcaConfidence);
        m.put("resource", Collections.unmodifiableMap(res));
        cluster.ifPresent(v -> m.put("cluster", v));
        eventTime.ifPresent(v -> m.put("event_time", v.toString()));
        m.put("labels", labels);
        var chain = new ArrayList<Map<String, Object>>();
        for (CausalLink l : causalChain) {
            chain.add(Map.of("cause_event_id", l.causeEventId(), "cause_reason", l.causeReason(),
                    "effect_event_id", l.effectEventId(), "confidence", l.confidence()));
        }
        m.put("causal_chain", Collections.unmodifiableList(chain));
        m.put("attributes", attributes);
        return Collections.unmodifiableMap(m);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainCopy(Map<String, ?> in) {
        var out = new LinkedHashMap<String, Object>();
        in.forEach((k, v) -> out.put(Objects.requireNonNull(k, "attribute key"), plainValue(v)));
        return Collections.unmodifiableMap(out);
    }

    private static Object plainValue(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Map<?, ?> map) {
            var out = new LinkedHashMap<String, Object>();
            map.forEach((k, x) -> out.put(String.valueOf(k), plainValue(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> list) {
            var out = new ArrayList<>(list.size());
            list.forEach(x -> out.add(plainValue(x)));
            return Collections.unmodifiableList(out);
        }
        // Anything else is reduced to its text so that no live object reaches expressions.
        return v.toString();
    }

    /** Builds {@link Incident}s. */
    public static final class Builder {
        private final String incidentId;
        private String symptomReason = "";
        private String rootCauseReason = "";
        private double rcaConfidence;
        private ResourceRef resource;
        private String cluster;
        private Instant eventTime;
        private Map<String, String> labels = Map.of();
        private List<CausalLink> causalChain = List.of();
        private final Map<String, Object> attributes = new LinkedHashMap<>();

        private Builder(String incidentId) {
            this.incidentId = Objects.requireNonNull(incidentId, "incidentId");
        }

        public Builder symptomReason(String v) {
            symptomReason = v;
            return this;
        }

        public Builder rootCause(String reason, double confidence) {
            rootCauseReason = reason;
            rcaConfidence = confidence;
            return this;
        }

        public Builder resource(ResourceRef v) {
            resource = v;
            return this;
        }

        public Builder resource(String kind, String namespace, String name) {
            return resource(ResourceRef.of(kind, namespace, name));
        }

        public Builder cluster(String v) {
            cluster = v;
            return this;
        }

        public Builder eventTime(Instant v) {
            eventTime = v;
            return this;
        }

        public Builder labels(Map<String, String> v) {
            labels = v;
            return this;
        }

        public Builder causalChain(List<CausalLink> v) {
            causalChain = v;
            return this;
        }

        public Builder attribute(String key, Object value) {
            attributes.put(key, value);
            return this;
        }

        public Incident build() {
            if (resource == null) {
                throw new IllegalStateException("incident " + incidentId + " needs a resource");
            }
            return new Incident(incidentId, symptomReason, rootCauseReason, rcaConfidence, resource,
                    Optional.ofNullable(cluster), Optional.ofNullable(eventTime), labels, causalChain, attributes);
        }
    }
}
