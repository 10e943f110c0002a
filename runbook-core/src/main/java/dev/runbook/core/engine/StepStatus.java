package dev.runbook.core.engine;

/** How one step ended. */
public enum StepStatus {
    /** It ran (for real, or as a dry run when the result says so) and its {@code expect} held. */
    SUCCEEDED,
    /** It failed after all attempts. */
    FAILED,
    /** Its {@code when} was false, or it was in a branch not taken. */
    SKIPPED,
    /** Dry run of a mutating action that cannot dry-run: not called, only rendered. */
    NOT_RUN_IN_DRY_RUN
}
