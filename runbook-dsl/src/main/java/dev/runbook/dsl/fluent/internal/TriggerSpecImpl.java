package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.Trigger;
import dev.runbook.dsl.fluent.TriggerSpec;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Collects a trigger's criteria, checking each value as it comes. */
final class TriggerSpecImpl implements TriggerSpec {
    private final RunbookDraft rb;
    private final Set<String> rootCauses = new LinkedHashSet<>();
    private final Set<String> symptoms = new LinkedHashSet<>();
    private double minConfidence = Trigger.any().minConfidence();
    private final Set<String> kinds = new LinkedHashSet<>();
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final Set<String> clusters = new LinkedHashSet<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String when;

    TriggerSpecImpl(RunbookDraft rb) {
        this.rb = rb;
    }

    private TriggerSpec add(Set<String> into, String field, String[] values) {
        if (values == null || values.length == 0) {
            throw rb.error("trigger." + field, field + " needs at least one value");
        }
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw rb.error("trigger." + field, field + " values must not be blank");
            }
            into.add(v);
        }
        return this;
    }

    @Override
    public TriggerSpec rootCause(String... reasons) {
        return add(rootCauses, "root_cause_reason", reasons);
    }

    @Override
    public TriggerSpec symptoms(String... reasons) {
        return add(symptoms, "symptom_reason", reasons);
    }

    @Override
    public TriggerSpec minConfidence(double confidence) {
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw rb.error("trigger.min_confidence", "min_confidence must be between 0 and 1, got " + confidence
                    + " (write 0.80 for 80%)");
        }
        minConfidence = confidence;
        return this;
    }

    @Override
    public TriggerSpec resourceKinds(String... values) {
        return add(kinds, "affected_resource_kinds", values);
    }

    @Override
    public TriggerSpec namespaces(String... values) {
        return add(namespaces, "namespaces", values);
    }

    @Override
    public TriggerSpec clusters(String... values) {
        return add(clusters, "clusters", values);
    }

    @Override
    public TriggerSpec label(String key, String value) {
        if (key == null || key.isBlank() || value == null) {
            throw rb.error("trigger.labels", "label key must not be blank and its value not null, got " + key + "="
                    + value);
        }
        if (labels.putIfAbsent(key, value) != null) {
            throw rb.error("trigger.labels." + key, "label '" + key + "' is already set; give each label once");
        }
        return this;
    }

    @Override
    public TriggerSpec labels(Map<String, String> values) {
        if (values == null) {
            throw rb.error("trigger.labels", "labels must not be null");
        }
        values.forEach(this::label);
        return this;
    }

    @Override
    public TriggerSpec when(String condition) {
        if (when != null) {
            throw rb.error("trigger.when", "when is already set; give it once");
        }
        when = rb.expression("trigger.when", condition, "when");
        return this;
    }

    Trigger build() {
        try {
            return new Trigger(rootCauses, symptoms, minConfidence, kinds, namespaces, clusters, labels,
                    Optional.ofNullable(when));
        } catch (IllegalArgumentException e) {
            throw rb.error("trigger", e.getMessage());
        }
    }
}
