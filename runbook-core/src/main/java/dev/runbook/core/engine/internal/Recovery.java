package dev.runbook.core.engine.internal;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionBackend;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.NotificationResult;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.ExecutionJournal;
import dev.runbook.core.engine.ExecutionJournal.JournaledExecution;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.Incident;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves executions whose host died: finds them in the journal (their owner's lease expired), takes each over
 * exactly once, runs the runbook's rollback with the journaled variables, notifies, records the outcome and
 * frees the dead execution's locks. Its counted events stay counted: a recovered execution still happened. An
 * execution the dead host had handed to an execution backend is the backend's to run: {@link BackendRecovery} only
 * waits for its outcome and records it, when the backend can say it.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final EngineConfig cfg;

    public Recovery(EngineConfig cfg) {
        this.cfg = cfg;
    }

    /** Recovers every orphan this engine can claim; their final records. */
    public List<Execution> run() {
        var out = new ArrayList<Execution>();
        Instant now = cfg.clock().instant();
        List<JournaledExecution> orphans;
        try {
            orphans = cfg.journal().orphans(now);
        } catch (RuntimeException e) {
            LOG.warn("recovery: could not read the journal: {}", e.toString());
            return List.of();
        }
        // In-process orphans first: their rollbacks must not wait behind a backend's plan that is still running.
        var ordered = new ArrayList<>(orphans);
        ordered.sort(java.util.Comparator.comparing(JournaledExecution::backendOwned));
        for (JournaledExecution orphan : ordered) {
            Optional<ExecutionBackend> backend = cfg.backend().filter(ExecutionBackend::recoversExecutions);
            if (orphan.backendOwned() && backend.isEmpty()) {
                // Its backend (a Temporal workflow) runs its steps: running or rolling them back here would act twice,
                // and without a backend that says how the plan ended there is nothing to record.
                LOG.debug("recovery: execution {} runs on an execution backend this engine cannot ask; left to it",
                        orphan.executionId());
                continue;
            }
            Optional<JournaledExecution> mine;
            // the time of this claim, not of the pass: a lease from a pass's start could have run out by now, after
            // a backend's plan was awaited, and another engine would take the orphan over too
            Instant at = cfg.clock().instant();
            try {
                mine = cfg.journal().claim(orphan.executionId(), cfg.owner(), at, at.plus(cfg.lockTtl()));
            } catch (RuntimeException e) {
                LOG.warn("recovery: could not claim execution {}: {}", orphan.executionId(), e.toString());
                continue;
            }
            if (mine.isPresent()) {
                try {
                    out.add(orphan.backendOwned()
                            ? new BackendRecovery(cfg, this).resolve(mine.get(), orphan.owner(), backend.get())
                            : resolve(mine.get(), orphan.owner()));
                } catch (RuntimeException e) {
                    // One unreadable orphan must not keep the others from being recovered; it stays claimed by
                    // this engine until its lease runs out, then the next recovery tries it again.
                    LOG.error("recovery: could not resolve execution {}", orphan.executionId(), e);
                }
            }
        }
        return out;
    }

    private Execution resolve(JournaledExecution j, String deadOwner) {
        return takenOver(j, (incident, ctx) -> resolve(j, deadOwner, incident, ctx));
    }

    /** Runs {@code work} on the context of an orphan this engine has claimed; its journal lease renewed meanwhile. */
    Execution takenOver(JournaledExecution j, java.util.function.BiFunction<Incident, RunContext, Execution> work) {
        Incident incident = Incident.fromMap(j.incident());
        var ctx = new RunContext(cfg, incident, false, j.executionId());
        ctx.journaled = true;
        // This engine owns the orphan now: keep its lease alive while it is resolved, or another replica would take
        // it over again.
        ctx.leases.journalLease(true);
        ctx.leases.startRenewal();
        try {
            return work.apply(incident, ctx);
        } finally {
            ctx.lane.close();
            ctx.leases.releaseAll();
        }
    }

    private Execution resolve(JournaledExecution j, String deadOwner, Incident incident, RunContext ctx) {
        MatchReport match = cfg.matcher().match(incident);
        CompiledRunbook crb = cfg.runbooks().get(j.runbookId());
        String lastStep = j.intents().isEmpty() ? "" : j.intents().get(j.intents().size() - 1).step();
        String died = "the host running execution " + j.executionId() + " (" + deadOwner + ") died";
        ExecutionStatus status;
        String error;
        List<StepResult> rollback = List.of();
        List<NotificationResult> notes = List.of();
        Optional<Integer> resumeFrom = crb == null ? Optional.empty() : resumable(crb, j);
        if (j.intents().isEmpty()) {
            status = ExecutionStatus.DENIED;
            error = died + " before it changed anything (while waiting for approval or before its first change); "
                    + "recovered by " + cfg.owner() + ": denied, nothing to roll back";
        } else if (crb == null) {
            status = ExecutionStatus.ROLLBACK_FAILED;
            error = died + " at step '" + lastStep + "'; runbook " + j.runbookId() + " is not loaded in the recovering "
                    + "engine, so it could not be rolled back: manual intervention is needed";
        } else if (resumeFrom.isPresent()) {
            int from = resumeFrom.get();
            Variables vars = variables(cfg, crb, j, incident);
            var rest = new StepRunner(ctx, crb.runbook(), false, false, vars, 0);
            StepRunner.Outcome out = rest.run(crb.steps().subList(from, crb.steps().size()));
            List<StepResult> resumed = rest.results;
            String resumedFrom = crb.steps().get(from).step().name();
            if (!out.failed()) {
                status = ExecutionStatus.RECOVERED_RESUMED;
                error = died + " at step '" + lastStep + "'; recovered by " + cfg.owner() + ", which ran the idempotent "
                        + "steps from '" + resumedFrom + "' on again and finished it";
                notes = Notifications.send(ctx, crb, true, vars);
            } else {
                error = died + " at step '" + lastStep + "'; resumed by " + cfg.owner() + " from '" + resumedFrom
                        + "', step '" + out.failedStep + "' failed: " + out.error;
                RolledBack rb = rollBack(ctx, crb, vars, error);
                status = rb.status;
                error = rb.error;
                rollback = rb.steps;
                // a resumed step failed: the runbook's own failure, counted toward pause_after
                notes = AutoPause.recordFailure(ctx, crb, vars, Notifications.send(ctx, crb, false, vars));
            }
            return record(j, incident, ctx, match, status, Optional.of(error), concat(real(j), resumed), rollback, notes,
                    startedBy(j, deadOwner));
        } else {
            error = died + " at step '" + lastStep + "', whose change may have been applied; recovered by " + cfg.owner();
            Variables vars = variables(cfg, crb, j, incident);
            vars.put("failed_step", lastStep);
            RolledBack rb = rollBack(ctx, crb, vars, error);
            status = rb.status;
            error = rb.error;
            rollback = rb.steps;
            notes = Notifications.send(ctx, crb, false, vars);
            if (status == ExecutionStatus.ROLLBACK_FAILED) {
                // the host's death is not the runbook's failure, but a rollback of its own that failed is
                notes = AutoPause.recordFailure(ctx, crb, vars, notes);
            }
        }
        return record(j, incident, ctx, match, status, Optional.of(error), real(j), rollback, notes,
                startedBy(j, deadOwner));
    }

    /** How a recovery's rollback ended. */
    private record RolledBack(ExecutionStatus status, String error, List<StepResult> steps) {
    }

    private RolledBack rollBack(RunContext ctx, CompiledRunbook crb, Variables vars, String error) {
        vars.put("error_message", error);
        ctx.rollingBack = true;
        var undo = new StepRunner(ctx, crb.runbook(), false, true, vars, 0);
        StepRunner.Outcome r = crb.rollback().isEmpty() ? new StepRunner.Outcome() : undo.run(crb.rollback());
        if (r.failed()) {
            String e = error + "; rollback step '" + r.failedStep + "' failed: " + r.error;
            vars.put("error_message", e);
            return new RolledBack(ExecutionStatus.ROLLBACK_FAILED, e, undo.results);
        }
        return new RolledBack(ExecutionStatus.RECOVERED_ROLLED_BACK,
                error + (crb.rollback().isEmpty() ? "; the runbook has no rollback" : "; rolled back"), undo.results);
    }

    /**
     * The variables the dead host journaled, with the incident and the execution, as its run saw them; secret and
     * host parameters (never journaled: they may be credentials) are resolved again.
     */
    static Variables variables(EngineConfig cfg, CompiledRunbook crb, JournaledExecution j, Incident incident) {
        Variables vars = new Variables();
        for (String v : crb.outputVars()) {
            vars.put(v, null);
        }
        var params = new java.util.LinkedHashMap<String, Object>();
        Parameters.resolve(cfg, crb, Map.of(), params); // a missing value shows where a template reads it
        params.forEach((name, value) -> {
            if (!j.variables().containsKey(name)) {
                vars.put(name, value);
            }
        });
        j.variables().forEach(vars::put);
        vars.put("incident", incident.toMap());
        vars.put("execution", StepRunner.executionVar(j.executionId(), crb.runbook(), false));
        return vars;
    }

    /**
     * Where a resume would start: the first top-level step with no journaled result, when the runbook allows
     * resuming, the real run had not failed or begun its rollback, and every step from there on is an action step
     * declared idempotent. Runbooks with branches are always rolled back (a branch half taken cannot be resumed).
     */
    private static Optional<Integer> resumable(CompiledRunbook crb, JournaledExecution j) {
        if (!crb.runbook().safety().resumeOnRecovery()
                || j.intents().stream().anyMatch(ExecutionJournal.StepIntent::rollback)
                || j.steps().stream().anyMatch(s -> s.status() == dev.runbook.core.engine.StepStatus.FAILED)) {
            return Optional.empty();
        }
        var done = new java.util.HashSet<String>();
        j.steps().forEach(s -> done.add(s.name()));
        List<dev.runbook.core.compile.CompiledStep> steps = crb.steps();
        int from = 0;
        while (from < steps.size() && done.contains(steps.get(from).step().name())) {
            from++;
        }
        if (from == steps.size()) {
            return Optional.empty();
        }
        for (var s : steps) {
            if (!(s.step() instanceof dev.runbook.core.model.ActionStep)) {
                return Optional.empty();
            }
        }
        for (var s : steps.subList(from, steps.size())) {
            if (!((dev.runbook.core.model.ActionStep) s.step()).idempotent()) {
                return Optional.empty();
            }
        }
        return Optional.of(from);
    }

    private static List<StepResult> real(JournaledExecution j) {
        return j.steps().stream().filter(s -> !s.name().startsWith("rollback/")).toList();
    }

    private static List<StepResult> concat(List<StepResult> a, List<StepResult> b) {
        var all = new ArrayList<StepResult>(a);
        all.addAll(b);
        return all;
    }

    /** What the dead host started, from its journaled intents. */
    private static List<String> startedBy(JournaledExecution j, String deadOwner) {
        return j.intents().stream().map(i -> (i.rollback() ? "rollback: " : "") + "step '" + i.step() + "' attempt "
                + i.attempt() + " was started by " + deadOwner).toList();
    }

    /**
     * Records a recovered execution: the journal's end, its locks freed (its counted events stay counted), the
     * listeners told.
     */
    Execution record(JournaledExecution j, Incident incident, RunContext ctx, MatchReport match, ExecutionStatus status,
                     Optional<String> error, List<StepResult> steps, List<StepResult> rollback,
                     List<NotificationResult> notes, List<String> startedByDeadHost) {
        var actions = new ArrayList<String>(startedByDeadHost);
        actions.addAll(ctx.actionsTaken);
        Execution e = new Execution(j.executionId(), j.runbookId(), j.runbookVersion(), incident.incidentId(), status,
                match, List.of(), Optional.empty(), List.of(), steps, rollback, actions, notes, error,
                cfg.executedBy(), j.startedAt(), cfg.clock().instant());
        LOG.warn("recovered execution {}: {} {}", j.executionId(), status, error.orElse(""));
        Journaling.finish(ctx, e);
        try {
            cfg.guardStore().releaseLocksOf(j.executionId());
        } catch (RuntimeException ex) {
            LOG.warn("recovery: could not free the locks of {} (they expire with their ttl): {}", j.executionId(),
                    ex.toString());
        }
        Listeners.executionFinished(cfg.listeners(), e);
        return e;
    }
}
