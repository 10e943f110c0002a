package dev.runbook.core.match;

/** How the engine orders the runbooks that match one incident, and so which one it runs. */
public enum Ranking {
    /** Most specific trigger first, then highest {@code min_confidence}, then id (the default). */
    SPECIFICITY,
    /**
     * The best record for the incident's root cause and resource kind first ({@link OutcomeRanker}); runbooks whose
     * records tie keep their {@link #SPECIFICITY} order.
     */
    OUTCOME
}
