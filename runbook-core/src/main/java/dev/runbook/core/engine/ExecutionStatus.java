package dev.runbook.core.engine;

/** How an execution ended. */
public enum ExecutionStatus {
    /** Every step succeeded (steps with {@code on_failure: continue} may have failed). */
    SUCCEEDED,
    /** A step failed and the runbook's rollback steps all succeeded. */
    ROLLED_BACK,
    /** A step failed and a rollback step failed too: manual intervention is needed. */
    ROLLBACK_FAILED,
    /** A step failed with {@code on_failure: fail}, or there were no rollback steps. */
    FAILED,
    /** A guard refused; nothing ran (see the guard decisions). */
    DENIED,
    /** No runbook matched the incident. */
    NO_MATCH,
    /** {@code plan()}: guards and dry run only, nothing changed. */
    PLANNED,
    /** Cancelled while running; the rollback ran as for a failure and succeeded (or there was none). */
    CANCELLED,
    /**
     * An attempt of a step did not stop when told to (it ignored its timeout or the cancellation) and was still
     * running when the engine stopped waiting for it: a change may still be in flight, so the rollback was not
     * started and the execution's locks stay held until that attempt's thread ends. Manual attention is needed.
     */
    ABANDONED,
    /**
     * The host running it died after it had started changing things; another engine found it in the journal
     * ({@code RunbookEngine.recover()}) and ran the runbook's rollback with the journaled variables.
     */
    RECOVERED_ROLLED_BACK,
    /**
     * The host running it died mid-run; the runbook allows resuming ({@code safety.resume_on_recovery}) and every
     * step from the interrupted one on is {@code idempotent}, so another engine ran those steps again and finished it.
     */
    RECOVERED_RESUMED;

    /** Whether the remediation was applied. */
    public boolean succeeded() {
        return this == SUCCEEDED || this == RECOVERED_RESUMED;
    }

    /**
     * Whether an execution that ended so counts in a runbook's record for outcome-aware choice: it ran and
     * either applied the remediation ({@link #succeeded()}) or failed. Refusals, plans, misses and cancellations
     * say nothing of how well the runbook works.
     */
    public boolean countsAsOutcome() {
        return switch (this) {
            case SUCCEEDED, RECOVERED_RESUMED, FAILED, ROLLED_BACK, ROLLBACK_FAILED, ABANDONED, RECOVERED_ROLLED_BACK -> true;
            case DENIED, NO_MATCH, PLANNED, CANCELLED -> false;
        };
    }
}
