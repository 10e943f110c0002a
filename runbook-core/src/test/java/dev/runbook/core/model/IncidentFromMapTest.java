package dev.runbook.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link Incident#fromMap} reads back what {@link Incident#toMap} writes and refuses everything else by name. */
class IncidentFromMapTest {

    @Property(tries = 200)
    void readsBackWhatToMapWrites(@ForAll("incidents") Incident incident) {
        assertThat(Incident.fromMap(incident.toMap())).isEqualTo(incident);
    }

    @Property(tries = 200)
    void anUnknownKeyIsRefusedByName(@ForAll("incidents") Incident incident,
            @ForAll("unknownKeys") String key) {
        var map = new LinkedHashMap<String, Object>(incident.toMap());
        map.put(key, "x");
        assertThatThrownBy(() -> Incident.fromMap(map)).isInstanceOf(IncidentFieldException.class)
                .satisfies(e -> assertThat(((IncidentFieldException) e).field()).isEqualTo(key))
                .hasMessageContaining("unknown field");
    }

    @Provide
    Arbitrary<String> unknownKeys() {
        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30)
                .filter(k -> !IncidentMaps.TOP.contains(k));
    }

    @Provide
    Arbitrary<Incident> incidents() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<Double> confidence = Arbitraries.doubles().between(0, 1);
        Arbitrary<ResourceRef> resource = Combinators.combine(text, text, text, Arbitraries.of(true, false))
                .as((kind, ns, name, withController) -> {
                    var r = ResourceRef.of(kind, ns, name);
                    return withController ? r.withController(name + "-ctl") : r;
                });
        Arbitrary<Map<String, Object>> attributes = Arbitraries.maps(text,
                Arbitraries.oneOf(text.map(s -> (Object) s), Arbitraries.longs().map(l -> (Object) l),
                        Arbitraries.of(true, false).map(b -> (Object) b))).ofMaxSize(3);
        Arbitrary<Map<String, String>> labels = Arbitraries.maps(text, text).ofMaxSize(3);
        Arbitrary<List<CausalLink>> chain = Combinators.combine(text, text, text, confidence)
                .as(CausalLink::new).list().ofMaxSize(2);
        Arbitrary<Instant> time = Arbitraries.longs().between(0, 4_000_000_000L).map(Instant::ofEpochSecond);
        return Combinators.combine(text, text, confidence, resource, attributes, labels, chain, time)
                .as((id, cause, c, r, attrs, l, ch, t) -> {
                    var b = Incident.builder(id).symptomReason("CrashLoopBackOff").rootCause(cause, c).resource(r)
                            .labels(l).causalChain(ch).eventTime(t);
                    attrs.forEach(b::attribute);
                    return b.build();
                });
    }

    @Test
    void problemsNameTheFieldAndTheValue() {
        Map<String, Object> pod = Map.of("kind", "Pod", "name", "web");
        assertRefused(Map.of("incident_id", "i1", "root_cause", "OOMKilled", "resource", pod), "root_cause",
                "unknown field (did you mean 'root_cause_reason'?); known: incident_id,");
        assertRefused(Map.of("incident_id", "i1", "rca_confidence", "high", "resource", pod), "rca_confidence",
                "must be a number between 0 and 1, got \"high\"");
        assertRefused(Map.of("incident_id", "i1", "rca_confidence", 1.5, "resource", pod), "rca_confidence",
                "must be a number between 0 and 1, got 1.5");
        assertRefused(Map.of("incident_id", "i1", "resource", Map.of("kind", "Pod", "name", 7)), "resource.name",
                "must be non-empty text, got 7");
        assertRefused(Map.of("incident_id", "i1", "resource", Map.of("kind", "Pod", "nmae", "x")), "resource.nmae",
                "unknown field (did you mean 'name'?)");
        assertRefused(Map.of("incident_id", "i1", "resource", Map.of("kind", "Pod")), "resource",
                "missing field 'resource.name'");
        assertRefused(Map.of("resource", pod), "", "missing field 'incident_id'");
        assertRefused(Map.of("incident_id", "i1", "resource", pod, "labels", Map.of("team", 3)), "labels.team",
                "a label value must be text, got 3");
        assertRefused(Map.of("incident_id", "i1", "resource", pod, "event_time", "yesterday"), "event_time",
                "must be an ISO-8601 time");
        assertRefused(Map.of("incident_id", "i1", "resource", pod, "causal_chain", List.of(Map.of("cause_event_id", "e1"))),
                "causal_chain[0].confidence", "must be a number between 0 and 1, got null");
        assertRefused(Map.of("incident_id", "i1", "resource", pod, "attributes", List.of()), "attributes",
                "must be an object, got a list");
    }

    @Test
    void optionalFieldsDefaultAndOffsetsAreAccepted() {
        var i = Incident.fromMap(Map.of("incident_id", "i1", "resource", Map.of("kind", "Pod", "name", "web"),
                "event_time", "2025-01-15T12:30:00+02:00"));
        assertThat(i.rcaConfidence()).isZero();
        assertThat(i.rootCauseReason()).isEmpty();
        assertThat(i.eventTime()).hasValue(Instant.parse("2025-01-15T10:30:00Z"));
    }

    private static void assertRefused(Map<String, ?> map, String field, String problem) {
        assertThatThrownBy(() -> Incident.fromMap(map)).isInstanceOf(IncidentFieldException.class)
                .satisfies(e -> {
                    var f = (IncidentFieldException) e;
                    assertThat(f.field()).isEqualTo(field);
                    assertThat(f.problem()).contains(problem);
                    assertThat(f.getMessage()).contains(problem);
                });
    }
}
