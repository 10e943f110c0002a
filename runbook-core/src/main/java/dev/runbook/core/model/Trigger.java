package dev.runbook.core.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When a runbook applies to an incident. Every non-empty criterion must hold; an empty set means
 * "any". The seed's {@code root_cause_reason}, {@code symptom_reason}, {@code min_confidence} and
 * {@code affected_resource_kinds}, plus namespaces, clusters, incident labels and a {@code when}
 * expression over the incident.
 *
 * @param rootCauseReasons root-cause reasons, any of which matches
 * @param symptomReasons   symptom reasons, any of which matches
 * @param minConfidence    the RCA confidence must be at least this (0..1)
 * @param resourceKinds    affected resource kinds ({@code Pod}, {@code Node}, ...)
 * @param namespaces       namespaces of the affected resource
 * @param clusters         clusters of the incident
 * @param labels           labels the incident must carry with these values
 * @param when             an extra condition over {@code incident}
 */
public record Trigger(
        Set<String> rootCauseReasons,
        Set<String> symptomReasons,
        double minConfidence,
        Set<String> resourceKinds,
        Set<String> namespaces,
        Set<String> clusters,
        Map<String, String> labels,
        Optional<String> when) {

    public Trigger {
        rootCauseReasons = Sets.ordered(rootCauseReasons, "rootCauseReasons");
        symptomReasons = Sets.ordered(symptomReasons, "symptomReasons");
        if (!(minConfidence >= 0.0 && minConfidence <= 1.0)) {
            throw new IllegalArgumentException("min_confidence must be between 0 and 1, got " + minConfidence);
        }
        resourceKinds = Sets.ordered(resourceKinds, "resourceKinds");
        namespaces = Sets.ordered(namespaces, "namespaces");
        clusters = Sets.ordered(clusters, "clusters");
        labels = Sets.orderedMap(labels, "labels");
        Objects.requireNonNull(when, "when");
    }

    /** A trigger that matches every incident. */
    public static Trigger any() {
        return builder().build();
    }

    /** A builder with every criterion empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** How many criteria this trigger constrains: more is more specific, used to rank matches. */
    public int specificity() {
        int n = 0;
        n += rootCauseReasons.isEmpty() ? 0 : 1;
        n += symptomReasons.isEmpty() ? 0 : 1;
        n += resourceKinds.isEmpty() ? 0 : 1;
        n += namespaces.isEmpty() ? 0 : 1;
        n += clusters.isEmpty() ? 0 : 1;
        n += labels.size();
        n += when.isPresent() ? 1 : 0;
        return n;
    }

    /** Builds {@link Trigger}s. */
    public static final class Builder {
        private Collection<String> rootCauseReasons = List.of();
        private Collection<String> symptomReasons = List.of();
        private double minConfidence;
        private Collection<String> resourceKinds = List.of();
        private Collection<String> namespaces = List.of();
        private Collection<String> clusters = List.of();
        private Map<String, String> labels = Map.of();
        private String when;

        private Builder() {
        }

        public Builder rootCauseReasons(Collection<String> v) {
            rootCauseReasons = v;
            return this;
        }

        public Builder rootCauseReason(String... v) {
            return rootCauseReasons(List.of(v));
        }

        public Builder symptomReasons(Collection<String> v) {
            symptomReasons = v;
            return this;
        }

        public Builder symptomReason(String... v) {
            return symptomReasons(List.of(v));
        }

        public Builder minConfidence(double v) {
            minConfidence = v;
            return this;
        }

        public Builder resourceKinds(Collection<String> v) {
            resourceKinds = v;
            return this;
        }

        public Builder resourceKind(String... v) {
            return resourceKinds(List.of(v));
        }

        public Builder namespaces(Collection<String> v) {
            namespaces = v;
            return this;
        }

        public Builder clusters(Collection<String> v) {
            clusters = v;
            return this;
        }

        public Builder labels(Map<String, String> v) {
            labels = v;
            return this;
        }

        public Builder when(String v) {
            when = v;
            return this;
        }

        public Trigger build() {
            return new Trigger(new java.util.LinkedHashSet<>(rootCauseReasons),
                    new java.util.LinkedHashSet<>(symptomReasons), minConfidence, new java.util.LinkedHashSet<>(resourceKinds),
                    new java.util.LinkedHashSet<>(namespaces), new java.util.LinkedHashSet<>(clusters),
                    labels, Optional.ofNullable(when));
        }
    }
}
