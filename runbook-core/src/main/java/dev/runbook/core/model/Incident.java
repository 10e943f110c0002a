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
     * The incident {@link #toMap()} wrote, read back (a journal, a file, a tool call). Strict: a missing required
     * field, a field of the wrong type or an unknown key is an {@link IllegalArgumentException} naming it.
     */
    public static Incident fromMap(Map<String, ?> map) {
        Objects.requireNonNull(map, "map");
        var known = java.util.Set.of("incident_id", "symptom_reason", "root_cause_reason", "rca_confidence", "resource",
                "cluster", "event_time", "labels", "causal_chain", "attributes");
        for (String k : map.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("incident: unknown field '" + k + "'; known fields: " + known);
            }
        }
        Map<String, ?> res = field(map, "resource", Map.class, true);
        for (String k : res.keySet()) {
            if (!java.util.Set.of("kind", "name", "namespace", "uid", "controller", "container_name").contains(k)) {
                throw new IllegalArgumentException("incident: unknown field 'resource." + k + "'");
            }
        }
        var ref = new ResourceRef(field(res, "kind", String.class, true), field(res, "name", String.class, true),
                Optional.ofNullable((String) field(res, "namespace", String.class, false)).orElse(""),
                Optional.ofNullable(field(res, "uid", String.class, false)),
                Optional.ofNullable(field(res, "controller", String.class, false)),
                Optional.ofNullable(field(res, "container_name", String.class, false)));
        Number conf = field(map, "rca_confidence", Number.class, true);
        var b = builder(field(map, "incident_id", String.class, true))
                .symptomReason(Optional.ofNullable((String) field(map, "symptom_reason", String.class, false)).orElse(""))
                .rootCause(Optional.ofNullable((String) field(map, "root_cause_reason", String.class, false)).orElse(""),
                        conf.doubleValue())
                .resource(ref);
        Optional.ofNullable((String) field(map, "cluster", String.class, false)).ifPresent(b::cluster);
        Optional.ofNullable((String) field(map, "event_time", String.class, false)).ifPresent(t -> {
            try {
                b.eventTime(Instant.parse(t));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("incident: event_time '" + t + "' is not an ISO-8601 instant");
            }
        });
        Map<String, ?> labels = field(map, "labels", Map.class, false);
        if (labels != null) {
            var l = new LinkedHashMap<String, String>();
            labels.forEach((k, v) -> l.put(k, String.valueOf(v)));
            b.labels(l);
        }
        List<?> chain = field(map, "causal_chain", List.class, false);
        if (chain != null) {
            var links = new ArrayList<CausalLink>();
            for (Object o : chain) {
                if (!(o instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("incident: causal_chain holds " + o + ", not a map");
                }
                @SuppressWarnings("unchecked")
                Map<String, ?> link = (Map<String, ?>) m;
                links.add(new CausalLink(field(link, "cause_event_id", String.class, true),
                        field(link, "cause_reason", String.class, true), field(link, "effect_event_id", String.class, true),
                        ((Number) field(link, "confidence", Number.class, true)).doubleValue()));
            }
            b.causalChain(links);
        }
        Map<String, ?> attrs = field(map, "attributes", Map.class, false);
        if (attrs != null) {
            attrs.forEach(b::attribute);
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(Map<String, ?> map, String name, Class<?> type, boolean required) {
        Object v = map.get(name);
        if (v == null) {
            if (required) {
                throw new IllegalArgumentException("incident: field '" + name + "' is missing");
            }
            return null;
        }
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("incident: field '" + name + "' must be a " + type.getSimpleName()
                    .toLowerCase(java.util.Locale.ROOT) + ", got '" + v + "'");
        }
        return (T) v;
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
