package dev.runbook.core.model;

import dev.runbook.core.internal.Durations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one plain view of a runbook's headline and guardrails, shared by the dashboard's library page and MCP's
 * runbook tools, so both show the same keys with the same values.
 *
 * <p>Keys are the YAML keys of {@code safety}; values are only maps, lists, text, numbers and booleans; durations
 * are written as everywhere in Runbook ({@code 5s}, {@code 2m}, {@code 1500ms}). A limit that is not set is an
 * absent key, never {@code null}.
 */
public final class RunbookView {
    private RunbookView() {
    }

    /**
     * The headline: {@code id, name, version, description, enabled}. A new map, in that order, that callers may add
     * their own keys to (the trigger, the steps).
     */
    public static Map<String, Object> summary(Runbook rb) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", rb.id());
        m.put("name", rb.name());
        m.put("version", rb.version());
        m.put("description", rb.description());
        m.put("enabled", rb.enabled());
        return m;
    }

    /**
     * The guardrails that are set: {@code require_approval, dry_run_first} always, then as set
     * {@code max_executions_per_hour, blast_radius_limit, min_confidence} (when above 0), {@code cooldown,
     * min_action_spacing, max_executions_per_resource_per_hour, max_actions_per_hour,
     * max_action_per_resource_per_hour} (action name to count, sorted), {@code allowed_namespaces} (sorted),
     * {@code replicas} ({@code {min, max}}), {@code env_whitelist} (sorted, always: empty means no variable may
     * change), {@code resume_on_recovery} (when true) and {@code pause_after} ({@code {failures, within}}).
     * The map is unmodifiable.
     */
    public static Map<String, Object> safety(Safety s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("require_approval", s.requireApproval());
        m.put("dry_run_first", s.dryRunFirst());
        s.maxExecutionsPerHour().ifPresent(v -> m.put("max_executions_per_hour", v));
        s.blastRadiusLimit().ifPresent(v -> m.put("blast_radius_limit", v));
        if (s.minConfidence() > 0) {
            m.put("min_confidence", s.minConfidence());
        }
        s.cooldown().ifPresent(v -> m.put("cooldown", Durations.human(v)));
        s.minActionSpacing().ifPresent(v -> m.put("min_action_spacing", Durations.human(v)));
        s.maxExecutionsPerResourcePerHour().ifPresent(v -> m.put("max_executions_per_resource_per_hour", v));
        s.maxActionsPerHour().ifPresent(v -> m.put("max_actions_per_hour", v));
        if (!s.maxActionPerResourcePerHour().isEmpty()) {
            m.put("max_action_per_resource_per_hour",
                    Collections.unmodifiableMap(new TreeMap<>(s.maxActionPerResourcePerHour())));
        }
        if (!s.allowedNamespaces().isEmpty()) {
            m.put("allowed_namespaces", sorted(s.allowedNamespaces()));
        }
        s.replicas().ifPresent(r -> m.put("replicas", Map.of("min", r.min(), "max", r.max())));
        m.put("env_whitelist", sorted(s.envWhitelist()));
        if (s.resumeOnRecovery()) {
            m.put("resume_on_recovery", true);
        }
        s.pauseAfter().ifPresent(p -> {
            var pa = new LinkedHashMap<String, Object>();
            pa.put("failures", p.failures());
            pa.put("within", Durations.human(p.within()));
            m.put("pause_after", Collections.unmodifiableMap(pa));
        });
        return Collections.unmodifiableMap(m);
    }

    private static List<String> sorted(java.util.Collection<String> values) {
        var out = new ArrayList<>(values);
        Collections.sort(out);
        return List.copyOf(out);
    }
}
