package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.Safety;
import dev.runbook.dsl.fluent.SafetySpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Collects a runbook's guardrails; the ranges are checked by {@link Safety} when the block returns. */
final class SafetySpecImpl implements SafetySpec {
    private final RunbookDraft rb;
    private final Safety.Builder builder = Safety.builder();
    private final Map<String, Integer> perAction = new LinkedHashMap<>();
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final Set<String> env = new LinkedHashSet<>();

    SafetySpecImpl(RunbookDraft rb) {
        this.rb = rb;
    }

    @Override
    public SafetySpec requireApproval(boolean required) {
        builder.requireApproval(required);
        return this;
    }

    @Override
    public SafetySpec maxExecutionsPerHour(int max) {
        builder.maxExecutionsPerHour(max);
        return this;
    }

    @Override
    public SafetySpec blastRadiusLimit(int max) {
        builder.blastRadiusLimit(max);
        return this;
    }

    @Override
    public SafetySpec dryRunFirst(boolean dryRunFirst) {
        builder.dryRunFirst(dryRunFirst);
        return this;
    }

    @Override
    public SafetySpec resumeOnRecovery(boolean resume) {
        builder.resumeOnRecovery(resume);
        return this;
    }

    @Override
    public SafetySpec minConfidence(double confidence) {
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw rb.error("safety.min_confidence", "min_confidence must be between 0 and 1, got " + confidence
                    + " (write 0.80 for 80%)");
        }
        builder.minConfidence(confidence);
        return this;
    }

    @Override
    public SafetySpec cooldown(Duration cooldown) {
        builder.cooldown(duration("cooldown", cooldown));
        return this;
    }

    @Override
    public SafetySpec minActionSpacing(Duration spacing) {
        builder.minActionSpacing(duration("min_action_spacing", spacing));
        return this;
    }

    private Duration duration(String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw rb.error("safety." + field, field + " must be a duration of zero or more, got " + d);
        }
        return d;
    }

    @Override
    public SafetySpec maxExecutionsPerResourcePerHour(int max) {
        builder.maxExecutionsPerResourcePerHour(max);
        return this;
    }

    @Override
    public SafetySpec maxActionsPerHour(int max) {
        builder.maxActionsPerHour(max);
        return this;
    }

    @Override
    public SafetySpec maxActionPerResourcePerHour(String action, int max) {
        String path = "safety.max_action_per_resource_per_hour";
        if (action == null || action.isBlank()) {
            throw rb.error(path, "action name must not be blank");
        }
        if (perAction.putIfAbsent(action, max) != null) {
            throw rb.error(path + "." + action, "the limit for '" + action + "' is already set; give it once");
        }
        return this;
    }

    @Override
    public SafetySpec allowedNamespaces(String... values) {
        return add(namespaces, "allowed_namespaces", values);
    }

    @Override
    public SafetySpec replicas(int min, int max) {
        try {
            builder.replicas(min, max);
        } catch (IllegalArgumentException e) {
            throw rb.error("safety.replicas", e.getMessage());
        }
        return this;
    }

    @Override
    public SafetySpec pauseAfter(int failures, Duration within) {
        try {
            builder.pauseAfter(failures, within);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw rb.error("safety.pause_after", "pause_after needs failures >= 1 and a positive within, got "
                    + failures + " within " + within);
        }
        return this;
    }

    @Override
    public SafetySpec envWhitelist(String... names) {
        return add(env, "env_whitelist", names);
    }

    private SafetySpec add(Set<String> into, String field, String[] values) {
        if (values == null || values.length == 0) {
            throw rb.error("safety." + field, field + " needs at least one value");
        }
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw rb.error("safety." + field, field + " values must not be blank");
            }
            into.add(v);
        }
        return this;
    }

    Safety build() {
        try {
            return builder.maxActionPerResourcePerHour(perAction).allowedNamespaces(namespaces).envWhitelist(env)
                    .build();
        } catch (IllegalArgumentException e) {
            throw rb.error("safety", e.getMessage());
        }
    }
}
