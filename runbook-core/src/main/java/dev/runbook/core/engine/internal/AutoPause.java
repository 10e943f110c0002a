package dev.runbook.core.engine.internal;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.NotificationResult;
import dev.runbook.core.guard.PauseClaim;
import dev.runbook.core.guard.PauseState;
import dev.runbook.core.model.Runbook;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code safety.pause_after}: the claim the {@code paused} guard checks, and the failure an execution records when it
 * ends badly. The state lives in the guard store, so every engine sharing it pauses at once.
 */
final class AutoPause {
    private static final Logger LOG = LoggerFactory.getLogger(AutoPause.class);

    /**
     * The outcomes that count as a failure: the remediation ran and did not hold. A cancellation is a person's
     * choice, not the runbook's failure, and a denial ran nothing.
     */
    private static final Set<ExecutionStatus> FAILURES = EnumSet.of(ExecutionStatus.FAILED, ExecutionStatus.ROLLED_BACK,
            ExecutionStatus.ROLLBACK_FAILED, ExecutionStatus.ABANDONED);

    private AutoPause() {
    }

    /** The runbook's pause claim, when it has {@code pause_after}. */
    static Optional<PauseClaim> claim(Runbook rb) {
        return rb.safety().pauseAfter().map(p -> PauseClaim.of(rb.id(), p.failures(), p.within()));
    }

    /**
     * Records the end of a real execution that changed something; when it is a failure that pauses the runbook,
     * notifies and returns {@code notes} with the pause notifications added. A store that cannot record the failure
     * is logged: the next execution asks the same store, which then refuses while it cannot answer.
     */
    static List<NotificationResult> afterRun(RunContext ctx, CompiledRunbook crb, ExecutionStatus status, Variables vars,
                                             List<NotificationResult> notes) {
        return FAILURES.contains(status) ? recordFailure(ctx, crb, vars, notes) : notes;
    }

    /**
     * Records a failure of the runbook itself whatever the status says: for a recovery whose resumed steps or rollback
     * failed (its status, {@code RECOVERED_ROLLED_BACK} or {@code ROLLBACK_FAILED}, also covers a host's death, which
     * is not the runbook's failure and is not counted).
     */
    static List<NotificationResult> recordFailure(RunContext ctx, CompiledRunbook crb, Variables vars,
                                                  List<NotificationResult> notes) {
        Optional<PauseClaim> claim = claim(crb.runbook());
        if (claim.isEmpty()) {
            return notes;
        }
        Optional<PauseState> paused;
        try {
            paused = ctx.cfg.guardStore().recordFailure(claim.get(), ctx.id, ctx.cfg.clock().instant());
        } catch (RuntimeException e) {
            LOG.error("execution {}: could not record its failure for {}: {}", ctx.id, claim.get().description(),
                    e.toString());
            return notes;
        }
        if (paused.isEmpty()) {
            return notes;
        }
        String text = paused.get().reason();
        LOG.warn("execution {}: {}", ctx.id, text);
        var all = new ArrayList<>(notes);
        all.addAll(Notifications.sendPaused(ctx, crb, vars, text));
        return all;
    }
}
