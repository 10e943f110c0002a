package dev.runbook.core.match;

/**
 * How the executions of one runbook ended, for one root cause and resource kind.
 *
 * @param succeeded  executions that applied the remediation
 * @param executions executions that ran (succeeded or failed, rolled back, abandoned); refusals, plans and
 *                   cancellations are not counted
 */
public record Outcomes(long succeeded, long executions) {
    /** No execution on record. */
    public static final Outcomes NONE = new Outcomes(0, 0);

    public Outcomes {
        if (succeeded < 0 || executions < 0 || succeeded > executions) {
            throw new IllegalArgumentException("outcomes need 0 <= succeeded <= executions, got " + succeeded + "/"
                    + executions);
        }
    }

    /** {@code 9/10}. */
    @Override
    public String toString() {
        return succeeded + "/" + executions;
    }
}
