package dev.runbook.core.model;

import java.util.Locale;

/** What a failed step does to its execution. */
public enum OnFailure {
    /** Stop, run the runbook's rollback steps, report failure (the default: remediation must not stay half-applied). */
    ROLLBACK,
    /** Record the failure and go on with the next step. */
    CONTINUE,
    /** Stop and report failure without rolling back. */
    FAIL;

    /** What every front end means when a step says nothing: {@link #ROLLBACK}. */
    public static final OnFailure DEFAULT = ROLLBACK;

    /** The name used in runbook files ({@code rollback}, {@code continue}, {@code fail}). */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
