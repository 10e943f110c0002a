package dev.runbook.dsl.fluent;

import java.time.Duration;

/** A runbook's guardrails; absent limits do not apply. Ranges are checked when the block returns. */
public interface SafetySpec {

    /** A human (or an approval policy) must approve before real execution. */
    SafetySpec requireApproval(boolean required);

    /** Executions of this runbook in any sliding hour, at least 1. */
    SafetySpec maxExecutionsPerHour(int max);

    /** Distinct resources the plan may touch, counted from the dry run, at least 1. */
    SafetySpec blastRadiusLimit(int max);

    /** The plan must pass a dry run before the real execution. */
    SafetySpec dryRunFirst(boolean dryRunFirst);

    /** The RCA confidence must be at least this (0..1). */
    SafetySpec minConfidence(double confidence);

    /** After an execution for a resource, wait this long before running for it again. */
    SafetySpec cooldown(Duration cooldown);

    /** At least this long between any two remediation executions, across runbooks (seed 002: 5 s). */
    SafetySpec minActionSpacing(Duration spacing);

    /** Executions of this runbook per affected resource in any sliding hour. */
    SafetySpec maxExecutionsPerResourcePerHour(int max);

    /** Mutating actions across all runbooks in any sliding hour (seed 002: 10). */
    SafetySpec maxActionsPerHour(int max);

    /** How often {@code action} may run against one resource an hour (seed 002: {@code restart-container}, 3). */
    SafetySpec maxActionPerResourcePerHour(String action, int max);

    /** Namespaces the runbook may act in; none means any. */
    SafetySpec allowedNamespaces(String... namespaces);

    /** Inclusive bounds that scaling actions must respect (seed 002: 1..5). */
    SafetySpec replicas(int min, int max);

    /** Environment variable names that env-updating actions may change. */
    SafetySpec envWhitelist(String... names);

    /** Lets recovery finish a dead host's execution when its remaining steps are idempotent (YAML {@code resume_on_recovery}). */
    SafetySpec resumeOnRecovery(boolean resume);

    /**
     * Auto-pause (YAML {@code pause_after: {failures: 3, within: 1h}}): after {@code failures} failed or rolled-back
     * executions within {@code within}, the engine refuses the runbook until a person resumes it.
     */
    SafetySpec pauseAfter(int failures, Duration within);
}
