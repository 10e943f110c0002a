package dev.runbook.core.model;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A runbook's guardrails: the safety rules of both design documents. Absent limits do not apply.
 *
 * @param requireApproval                 a human (or an approval policy) must approve before real execution
 * @param maxExecutionsPerHour            executions of this runbook in any sliding hour
 * @param blastRadiusLimit                distinct resources the plan may touch, counted from the dry run
 * @param dryRunFirst                     the plan must pass a dry run before the real execution
 * @param minConfidence                   the RCA confidence must be at least this (0..1); the seed also writes it here
 * @param cooldown                        after an execution for a resource, this runbook waits this long before running for it again
 * @param minActionSpacing                at least this long between any two remediation executions, across runbooks (seed 002: 5 s)
 * @param maxExecutionsPerResourcePerHour executions of this runbook per affected resource in any sliding hour
 * @param maxActionsPerHour               mutating actions across all runbooks in any sliding hour (seed 002: 10)
 * @param maxActionPerResourcePerHour     per action name, how often it may run against one resource an hour
 *                                        (seed 002: {@code restart-container: 3})
 * @param allowedNamespaces               namespaces the runbook may act in; empty means any
 * @param replicas                        bounds that scaling actions must respect (seed 002: 1..5)
 * @param envWhitelist                    environment variable names that env-updating actions may change
 * @param resumeOnRecovery                whether recovery may finish an execution whose host died, instead of rolling
 *                                        it back, when every step from the interrupted one on is {@code idempotent}
 * @param pauseAfter                      after this many failed or rolled-back executions within a sliding window, the
 *                                        runbook is paused until a person resumes it ({@code pause_after})
 */
public record Safety(
        boolean requireApproval,
        OptionalInt maxExecutionsPerHour,
        OptionalInt blastRadiusLimit,
        boolean dryRunFirst,
        double minConfidence,
        Optional<Duration> cooldown,
        Optional<Duration> minActionSpacing,
        OptionalInt maxExecutionsPerResourcePerHour,
        OptionalInt maxActionsPerHour,
        Map<String, Integer> maxActionPerResourcePerHour,
        Set<String> allowedNamespaces,
        Optional<ReplicaBounds> replicas,
        Set<String> envWhitelist,
        boolean resumeOnRecovery,
        Optional<PauseAfter> pauseAfter) {

    /** Every guardrail except {@code pause_after}, which is absent (the form before auto-pause existed). */
    public Safety(boolean requireApproval, OptionalInt maxExecutionsPerHour, OptionalInt blastRadiusLimit,
                  boolean dryRunFirst, double minConfidence, Optional<Duration> cooldown,
                  Optional<Duration> minActionSpacing, OptionalInt maxExecutionsPerResourcePerHour,
                  OptionalInt maxActionsPerHour, Map<String, Integer> maxActionPerResourcePerHour,
                  Set<String> allowedNamespaces, Optional<ReplicaBounds> replicas, Set<String> envWhitelist,
                  boolean resumeOnRecovery) {
        this(requireApproval, maxExecutionsPerHour, blastRadiusLimit, dryRunFirst, minConfidence, cooldown,
                minActionSpacing, maxExecutionsPerResourcePerHour, maxActionsPerHour, maxActionPerResourcePerHour,
                allowedNamespaces, replicas, envWhitelist, resumeOnRecovery, Optional.empty());
    }

    public Safety {
        Objects.requireNonNull(maxExecutionsPerHour, "maxExecutionsPerHour");
        Objects.requireNonNull(blastRadiusLimit, "blastRadiusLimit");
        positive(maxExecutionsPerHour, "max_executions_per_hour");
        positive(blastRadiusLimit, "blast_radius_limit");
        if (!(minConfidence >= 0.0 && minConfidence <= 1.0)) {
            throw new IllegalArgumentException("min_confidence must be between 0 and 1, got " + minConfidence);
        }
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(minActionSpacing, "minActionSpacing");
        cooldown.ifPresent(d -> nonNegative(d, "cooldown"));
        minActionSpacing.ifPresent(d -> nonNegative(d, "min_action_spacing"));
        Objects.requireNonNull(maxExecutionsPerResourcePerHour, "maxExecutionsPerResourcePerHour");
        positive(maxExecutionsPerResourcePerHour, "max_executions_per_resource_per_hour");
        Objects.requireNonNull(maxActionsPerHour, "maxActionsPerHour");
        positive(maxActionsPerHour, "max_actions_per_hour");
        var limits = new LinkedHashMap<String, Integer>();
        Objects.requireNonNull(maxActionPerResourcePerHour, "maxActionPerResourcePerHour").forEach((k, v) -> {
            if (v == null || v < 1) {
                throw new IllegalArgumentException("max_action_per_resource_per_hour." + k + " must be at least 1, got " + v);
            }
            limits.put(Objects.requireNonNull(k), v);
        });
        maxActionPerResourcePerHour = Collections.unmodifiableMap(limits);
        allowedNamespaces = Sets.ordered(allowedNamespaces, "allowedNamespaces");
        Objects.requireNonNull(replicas, "replicas");
        envWhitelist = Sets.ordered(envWhitelist, "envWhitelist");
        Objects.requireNonNull(pauseAfter, "pauseAfter");
    }

    private static void positive(OptionalInt v, String field) {
        if (v.isPresent() && v.getAsInt() < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + v.getAsInt());
        }
    }

    private static void nonNegative(Duration d, String field) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, got " + d);
        }
    }

    /** No guardrail beyond the engine's global ones. */
    public static Safety none() {
        return NONE;
    }

    private static final Safety NONE = builder().build();

    /** A builder with every limit absent and every flag off. */
    public static Builder builder() {
        return new Builder();
    }

    /** Inclusive replica bounds for scaling actions. */
    public record ReplicaBounds(int min, int max) {
        public ReplicaBounds {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("replica bounds need 0 <= min <= max, got " + min + ".." + max);
            }
        }

        /** Whether {@code replicas} lies within the bounds. */
        public boolean contains(int replicas) {
            return replicas >= min && replicas <= max;
        }
    }

    /**
     * Auto-pause: after {@code failures} failed or rolled-back executions of the runbook within any sliding
     * {@code within}, the engine's {@code paused} guard refuses it until a person resumes it.
     *
     * @param failures failed or rolled-back executions that pause the runbook (at least 1)
     * @param within   the sliding window they must fall in (positive)
     */
    public record PauseAfter(int failures, Duration within) {
        public PauseAfter {
            if (failures < 1) {
                throw new IllegalArgumentException("pause_after.failures must be at least 1, got " + failures);
            }
            Objects.requireNonNull(within, "within");
            if (within.isNegative() || within.isZero()) {
                throw new IllegalArgumentException("pause_after.within must be a positive duration, got " + within);
            }
        }
    }

    /** Builds {@link Safety}; validates each value when {@link #build()} is called. */
    public static final class Builder {
        private boolean requireApproval;
        private Integer maxExecutionsPerHour;
        private Integer blastRadiusLimit;
        private boolean dryRunFirst;
        private double minConfidence;
        private Duration cooldown;
        private Duration minActionSpacing;
        private Integer maxExecutionsPerResourcePerHour;
        private Integer maxActionsPerHour;
        private Map<String, Integer> maxActionPerResourcePerHour = Map.of();
        private Collection<String> allowedNamespaces = List.of();
        private ReplicaBounds replicas;
        private boolean resumeOnRecovery;
        private Collection<String> envWhitelist = List.of();
        private PauseAfter pauseAfter;

        private Builder() {
        }

        public Builder requireApproval(boolean v) {
            requireApproval = v;
            return this;
        }

        public Builder maxExecutionsPerHour(int v) {
            maxExecutionsPerHour = v;
            return this;
        }

        public Builder blastRadiusLimit(int v) {
            blastRadiusLimit = v;
            return this;
        }

        public Builder dryRunFirst(boolean v) {
            dryRunFirst = v;
            return this;
        }

        public Builder minConfidence(double v) {
            minConfidence = v;
            return this;
        }

        public Builder cooldown(Duration v) {
            cooldown = v;
            return this;
        }

        public Builder minActionSpacing(Duration v) {
            minActionSpacing = v;
            return this;
        }

        public Builder maxExecutionsPerResourcePerHour(int v) {
            maxExecutionsPerResourcePerHour = v;
            return this;
        }

        public Builder maxActionsPerHour(int v) {
            maxActionsPerHour = v;
            return this;
        }

        public Builder maxActionPerResourcePerHour(Map<String, Integer> v) {
            maxActionPerResourcePerHour = v;
            return this;
        }

        public Builder maxActionPerResourcePerHour(String action, int v) {
            var copy = new LinkedHashMap<>(maxActionPerResourcePerHour);
            copy.put(action, v);
            maxActionPerResourcePerHour = copy;
            return this;
        }

        public Builder allowedNamespaces(Collection<String> v) {
            allowedNamespaces = v;
            return this;
        }

        public Builder replicas(int min, int max) {
            replicas = new ReplicaBounds(min, max);
            return this;
        }

        public Builder envWhitelist(Collection<String> v) {
            envWhitelist = v;
            return this;
        }

        /** Lets recovery resume instead of rolling back when the remaining steps are idempotent (default false). */
        public Builder resumeOnRecovery(boolean v) {
            resumeOnRecovery = v;
            return this;
        }

        /**
         * Pauses the runbook after {@code failures} failed or rolled-back executions within {@code within}.
         *
         * @throws IllegalArgumentException when failures is below 1 or within is not positive
         */
        public Builder pauseAfter(int failures, Duration within) {
            pauseAfter = new PauseAfter(failures, within);
            return this;
        }

        public Safety build() {
            return new Safety(requireApproval, opt(maxExecutionsPerHour), opt(blastRadiusLimit), dryRunFirst,
                    minConfidence, Optional.ofNullable(cooldown), Optional.ofNullable(minActionSpacing),
                    opt(maxExecutionsPerResourcePerHour), opt(maxActionsPerHour), maxActionPerResourcePerHour,
                    new java.util.LinkedHashSet<>(allowedNamespaces), Optional.ofNullable(replicas),
                    new java.util.LinkedHashSet<>(envWhitelist), resumeOnRecovery, Optional.ofNullable(pauseAfter));
        }

        private static OptionalInt opt(Integer v) {
            return v == null ? OptionalInt.empty() : OptionalInt.of(v);
        }
    }
}
