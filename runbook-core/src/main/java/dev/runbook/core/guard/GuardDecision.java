package dev.runbook.core.guard;

import java.util.Objects;

/**
 * The outcome of one guard, with the reason a person reads in the audit trail, for instance
 * {@code GuardDecision.deny("rate_limit", "max_executions_per_hour 5 reached for runbook oom-v1")}.
 *
 * @param guard   the guard's name, a {@link Guard#id()} ({@code enabled}, {@code confidence}, {@code dedupe},
 *                {@code rate_limit}, {@code blast_radius}, {@code approval}, {@code dry_run}, ...)
 * @param allowed whether it let the execution go on
 * @param reason  why, with the values compared
 */
public record GuardDecision(String guard, boolean allowed, String reason) {
    public GuardDecision {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(reason, "reason");
    }

    /** A guard that let the execution through. */
    public static GuardDecision allow(Guard guard, String reason) {
        return new GuardDecision(guard.id(), true, reason);
    }

    /** A guard that stopped the execution. */
    public static GuardDecision deny(Guard guard, String reason) {
        return new GuardDecision(guard.id(), false, reason);
    }

    /** A guard that let the execution through. */
    public static GuardDecision allow(String guard, String reason) {
        return new GuardDecision(guard, true, reason);
    }

    /** A guard that stopped the execution. */
    public static GuardDecision deny(String guard, String reason) {
        return new GuardDecision(guard, false, reason);
    }

    @Override
    public String toString() {
        return (allowed ? "ALLOW " : "DENY ") + guard + ": " + reason;
    }
}
