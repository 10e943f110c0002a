package dev.runbook.core.guard;

import static dev.runbook.core.internal.Durations.human;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Why a {@link GuardStore} refused a request, as facts: the claim that failed and what the store observed.
 * Stores report facts; core words them once ({@link #reason()}), so every store says the same sentence.
 */
public sealed interface Refusal permits Refusal.LockHeld, Refusal.LimitReached, Refusal.TooSoon, Refusal.StoreFailed,
        Refusal.Paused {

    /** The sentence a person reads in the audit trail, with the values compared. */
    String reason();

    /**
     * A lock is held by a live execution.
     *
     * @param claim  the lock asked for
     * @param holder who holds it (an execution id)
     */
    record LockHeld(LockClaim claim, String holder) implements Refusal {
        public LockHeld {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(holder, "holder");
        }

        @Override
        public String reason() {
            return claim.description() + " already has an active execution (" + holder + ")";
        }
    }

    /**
     * A sliding-window counter is full.
     *
     * @param claim    the counter asked for (its limit and window)
     * @param observed events the store counted within the window
     */
    record LimitReached(CounterClaim claim, long observed) implements Refusal {
        public LimitReached {
            Objects.requireNonNull(claim, "claim");
        }

        @Override
        public String reason() {
            return claim.description() + " reached: " + observed + " in the last " + human(claim.window())
                    + (claim.amount() > 1 ? ", this execution needs " + claim.amount() : "");
        }
    }

    /**
     * A spacing has not elapsed since the last event of its key.
     *
     * @param claim the spacing asked for
     * @param last  when the last event happened (store clock)
     * @param since how long ago that was (store clock)
     */
    record TooSoon(SpacingClaim claim, Instant last, Duration since) implements Refusal {
        public TooSoon {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(last, "last");
            Objects.requireNonNull(since, "since");
        }

        @Override
        public String reason() {
            return claim.description() + " not yet elapsed: last at " + last + ", " + human(since) + " ago, wait "
                    + human(claim.minSpacing().minus(since));
        }
    }

    /**
     * The store could not decide (database down, driver closed, interrupted): the request is refused, because
     * safety state fails closed.
     *
     * @param cause what went wrong, in a few words
     */
    record StoreFailed(String cause) implements Refusal {
        public StoreFailed {
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public String reason() {
            return "guard store failed, refusing to act without it: " + cause;
        }
    }

    /**
     * The runbook is paused by its {@code pause_after} rule until a person resumes it.
     *
     * @param claim the pause asked about
     * @param state the pause: when, and the executions that caused it
     */
    record Paused(PauseClaim claim, PauseState state) implements Refusal {
        public Paused {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(state, "state");
        }

        /** The ids of the failed or rolled-back executions that paused the runbook. */
        public java.util.List<String> executions() {
            return state.executions();
        }

        @Override
        public String reason() {
            return state.reason();
        }
    }
}
