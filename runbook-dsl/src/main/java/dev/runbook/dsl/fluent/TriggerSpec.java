package dev.runbook.dsl.fluent;

import java.util.Map;

/**
 * The criteria of a trigger; each call adds to what is there. Every non-empty criterion must hold, an empty one
 * means "any".
 */
public interface TriggerSpec {

    /** Root-cause reasons ({@code root_cause_reason}), any of which matches. */
    TriggerSpec rootCause(String... reasons);

    /** Symptom reasons ({@code symptom_reason}), any of which matches. */
    TriggerSpec symptoms(String... reasons);

    /**
     * The RCA confidence must be at least this.
     *
     * @throws RunbookDefinitionException unless 0 &lt;= confidence &lt;= 1
     */
    TriggerSpec minConfidence(double confidence);

    /** Affected resource kinds ({@code affected_resource_kinds}): {@code Pod}, {@code Node}, {@code Container}... */
    TriggerSpec resourceKinds(String... kinds);

    /** Namespaces of the affected resource. */
    TriggerSpec namespaces(String... namespaces);

    /** Clusters of the incident. */
    TriggerSpec clusters(String... clusters);

    /** A label the incident must carry with this value. */
    TriggerSpec label(String key, String value);

    /** Labels the incident must carry. */
    TriggerSpec labels(Map<String, String> labels);

    /** An extra condition over {@code incident}, for instance {@code incident.attributes.memory_percent > 80}. */
    TriggerSpec when(String condition);
}
