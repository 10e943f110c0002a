package dev.runbook.core.engine.internal;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionBackend;
import dev.runbook.core.engine.ExecutionJournal.JournaledExecution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.NotificationResult;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.model.Incident;
import java.util.List;
import java.util.Optional;

/**
 * Finishes a backend-owned execution whose engine died: the backend (a Temporal workflow) ran or is running its plan
 * on its own, so nothing is run or rolled back here; this waits for the plan's outcome, then does what the dead engine
 * would have done once its {@code execute} call returned: journal the steps, notify, count a failure toward
 * {@code pause_after}, record the end and free the execution's locks, which it holds again while it waits. It does not escalate: the next runbook's
 * decision belonged to the engine that matched the incident.
 */
final class BackendRecovery {
    private final EngineConfig cfg;
    private final Recovery recovery;

    BackendRecovery(EngineConfig cfg, Recovery recovery) {
        this.cfg = cfg;
        this.recovery = recovery;
    }

    /**
     * Resolves {@code j}, already claimed by this engine; the journal lease is renewed while the plan still runs.
     *
     * @throws RuntimeException when the backend cannot say how it ended (the entry stays claimed until its lease
     *                          runs out, then a later recovery asks again)
     */
    Execution resolve(JournaledExecution j, String deadOwner, ExecutionBackend backend) {
        return recovery.takenOver(j, (incident, ctx) -> resolve(j, deadOwner, backend, incident, ctx));
    }

    private Execution resolve(JournaledExecution j, String deadOwner, ExecutionBackend backend, Incident incident,
                              RunContext ctx) {
        // The dead engine's locks ran out with its lease; the plan may still be running: hold the incident's and
        // its resource's locks again (renewed) until it ends, so that no new execution starts on them meanwhile.
        Reservation locks = ctx.leases.reserve(Limits.dedupeLocks(ctx), List.of(), List.of());
        ExecutionBackend.Outcome o = backend.awaitOutcome(j.executionId());
        CompiledRunbook crb = cfg.runbooks().get(j.runbookId());
        ctx.actionsTaken.add("the plan was handed to the execution backend by " + deadOwner + ", which died before "
                + "it ended; " + cfg.owner() + " recorded its end");
        ctx.actionsTaken.addAll(o.actionsTaken());
        String died = "the host that handed execution " + j.executionId() + " to the execution backend ("
                + deadOwner + ") died before it ended; " + cfg.owner() + " recorded its end";
        Optional<String> error = o.status() == ExecutionStatus.SUCCEEDED && o.error().isEmpty() ? Optional.empty()
                : Optional.of(o.error().map(e -> e + "; ").orElse("") + died);
        if (!locks.granted() && o.status() != ExecutionStatus.DENIED) {
            error = Optional.of(error.map(e -> e + "; ").orElse("") + "its locks had run out and could not be taken "
                    + "again while its plan ran (" + locks.denialReason().orElse("refused")
                    + "): another execution may have acted on the same incident or resource meanwhile");
        }
        List<NotificationResult> notes = List.of();
        if (crb == null) {
            error = Optional.of(error.map(e -> e + "; ").orElse("") + "runbook " + j.runbookId()
                    + " is not loaded in the recovering engine, so no notification was sent");
        } else if (o.status() != ExecutionStatus.DENIED) {
            // a plan that never started did not happen: nothing to notify, nothing to count
            Variables vars = Recovery.variables(cfg, crb, j, incident);
            o.variables().forEach(vars::put);
            error.ifPresent(e -> vars.put("error_message", e));
            Journaling.backendSteps(ctx, crb, o.steps(), o.rollbackSteps(), vars.view());
            boolean succeeded = o.status() == ExecutionStatus.SUCCEEDED;
            notes = Notifications.send(ctx, crb, succeeded, vars);
            if (!succeeded) {
                notes = AutoPause.afterRun(ctx, crb, o.status(), vars, notes);
            }
        }
        return recovery.record(j, incident, ctx, cfg.matcher().match(incident), o.status(), error, o.steps(),
                o.rollbackSteps(), notes, List.of());
    }
}
