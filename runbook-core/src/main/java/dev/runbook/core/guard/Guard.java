package dev.runbook.core.guard;

import java.util.Arrays;
import java.util.Optional;

/**
 * The engine's guards, in the order they run. {@link GuardDecision#guard()} holds the {@link #id()}, and the
 * README's safety model lists the same names, so the audit trail, the docs and the code say one thing.
 */
public enum Guard {
    /** The runbook is enabled and the kill switch is off. */
    ENABLED("enabled", "the runbook is enabled and the kill switch is off"),
    /** The incident's RCA confidence reaches the runbook's minimum. */
    CONFIDENCE("confidence", "rca_confidence reaches min_confidence (trigger and safety)"),
    /** The incident's namespace is one the runbook may act in. */
    NAMESPACE("namespace", "the namespace is in allowed_namespaces, when that list is set"),
    /** Every required parameter has a value. */
    PARAMETERS("parameters", "every required parameter has a value"),
    /** The runbook is not paused by its {@code pause_after} rule. */
    PAUSED("paused", "the runbook is not paused by pause_after (failed or rolled-back executions); a person resumes it"),
    /** No other execution holds the incident or its resource. */
    DEDUPE("dedupe", "no live execution holds the incident or its resource (leased locks, keys carry the cluster)"),
    /** Sliding-window limits, spacings and cooldowns. */
    RATE_LIMIT("rate_limit", "max_executions_per_hour, max_actions_per_hour, per-resource limits, spacing and cooldown"),
    /** The dry run of the whole plan passes. */
    DRY_RUN("dry_run", "the dry run passes (when dry_run_first, a blast radius or an approval asks for it)"),
    /** The plan touches no more resources than allowed. */
    BLAST_RADIUS("blast_radius", "the plan touches at most blast_radius_limit resources"),
    /** Every resource the plan changes is locked for this execution and within its per-resource limits. */
    TARGETS("targets", "every resource the plan changes is free and within its per-resource limits"),
    /** A person (or the approval policy) approved. */
    APPROVAL("approval", "a person or the approval policy approved the plan");

    private final String id;
    private final String meaning;

    Guard(String id, String meaning) {
        this.id = id;
        this.meaning = meaning;
    }

    /** The name used in decisions and the audit trail ({@code rate_limit}). */
    public String id() {
        return id;
    }

    /** What the guard checks, in a few words (for docs and reports). */
    public String meaning() {
        return meaning;
    }

    /** The guard with this id. */
    public static Optional<Guard> ofId(String id) {
        return Arrays.stream(values()).filter(g -> g.id.equals(id)).findFirst();
    }
}
