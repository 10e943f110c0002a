package dev.runbook.core.model;

import java.util.Locale;

/** What a failed step does to its execution. */
public enum OnFailure {
    /** Stop, run the runbook's rollback steps, report failure (the default: remediation must not stay half-applied). */
    ROLLBACK,
    /** Record the failure and go on with the next step. */
    CONTINUE,
    /** Stop and report failure without rolling back. */
    FAIL,
    /**
     * Stop, run the runbook's rollback steps, then hand the incident to the next runbook that matches it (try the
     * cheap fix, then the bigger one), through every guard of that runbook and up to the engine's escalation depth.
     * Escalation happens only when the rollback succeeded (or there was nothing to roll back). Inside a chained
     * runbook ({@code run_runbook}) it rolls the chained runbook back; the chaining step's own policy decides what
     * follows.
     */
    ESCALATE;

    /** What every front end means when a step says nothing: {@link #ROLLBACK}. */
    public static final OnFailure DEFAULT = ROLLBACK;

    /** Whether the runbook's rollback steps run: {@link #ROLLBACK} and {@link #ESCALATE}. */
    public boolean rollsBack() {
        return this == ROLLBACK || this == ESCALATE;
    }

    /** The name used in runbook files ({@code rollback}, {@code continue}, {@code fail}, {@code escalate}). */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
