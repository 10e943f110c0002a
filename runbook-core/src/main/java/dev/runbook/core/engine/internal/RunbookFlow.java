package dev.runbook.core.engine.internal;

import static dev.runbook.core.internal.Durations.human;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.NotificationResult;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Runbook;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow for the runbook an {@link ExecutionRun} chose: the guards ({@link GuardPipeline}), then the steps, in
 * process ({@link StepRunner}) or on the engine's {@code ExecutionBackend} ({@link Delegation}), the rollback, the
 * notifications and the record; and, when a step asks for it, registers the run to escalate to. Used once, on the
 * run's thread.
 */
final class RunbookFlow {
    /** The run's logger: a flow's lines are its execution's, as hosts configure them. */
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionRun.class);

    private final ExecutionRun run;
    private final RunContext ctx;
    private final CompiledRunbook crb;
    final Runbook rb;
    final MatchReport match;
    private final Instant started;
    private List<StepResult> dryRunSteps = List.of();

    RunbookFlow(ExecutionRun run, RunContext ctx, CompiledRunbook crb, MatchReport match, Instant started) {
        this.run = run;
        this.ctx = ctx;
        this.crb = crb;
        this.rb = crb.runbook();
        this.match = match;
        this.started = started;
    }

    private boolean nothingChanged;
    /** A backtest's decision that allowed: what it counted stays counted. */
    private boolean decided;
    /** The backend's worker abandoned an attempt that may still be running there, out of this engine's sight. */
    private boolean abandonedOnBackend;

    Execution run() {
        boolean denied = false;
        try {
            var guards = new GuardPipeline(ctx, crb);
            Optional<GuardDecision> denial;
            try {
                denial = guards.run();
            } finally {
                dryRunSteps = guards.dryRunSteps();
            }
            if (denial.isPresent()) {
                denied = true;
                GuardDecision d = denial.get();
                LOG.info("execution {} of runbook {} for incident {} denied by {}: {}", ctx.id, rb.id(),
                        ctx.incident.incidentId(), d.guard(), d.reason());
                return finish(ExecutionStatus.DENIED, List.of(), List.of(), List.of(),
                        Optional.of(d.guard() + ": " + d.reason()));
            }
            if (ctx.decideOnly) {
                decided = true;
                return finish(ExecutionStatus.PLANNED, List.of(), List.of(), List.of(), Optional.empty());
            }
            if (ctx.planOnly) {
                return finish(ExecutionStatus.PLANNED, List.of(), List.of(), List.of(), Optional.empty());
            }
            return ctx.cfg.backend().isPresent() ? executeOnBackend(guards) : execute(guards);
        } finally {
            List<AttemptHandle> alive = ctx.aliveAbandoned();
            if (!alive.isEmpty()) {
                ctx.leases.releaseWhenEnded(alive);
            } else if (decided || abandonedOnBackend) {
                ctx.leases.keepUntilExpiry();
            } else if (ctx.planOnly || denied || nothingChanged) {
                // A denied or planned execution did not happen: give back what it counted.
                ctx.leases.cancelAll();
            } else {
                ctx.leases.releaseAll();
            }
        }
    }

    /** The approved plan handed to the engine's {@code ExecutionBackend}; the engine keeps the locks meanwhile. */
    private Execution executeOnBackend(GuardPipeline guards) {
        // Journaled as in-process, but marked as the backend's: its recovery is the backend's, not ours.
        Optional<String> unjournaled = Journaling.start(ctx, crb, guards.params(), dryRunSteps);
        if (unjournaled.isPresent()) {
            nothingChanged = true;
            return finish(ExecutionStatus.FAILED, List.of(), List.of(), List.of(), unjournaled);
        }
        // The engine keeps the locks while the backend runs the plan.
        Variables vars = StepRunner.variables(ctx, crb, guards.params(), false);
        run.beginDelegation();
        var o = Delegation.run(ctx, crb, ctx.cfg.backend().get(), guards.params(), vars);
        Journaling.backendSteps(ctx, crb, o.steps(), o.rollbackSteps(), vars.view());
        Optional<String> error = o.error();
        if (o.status() == ExecutionStatus.ABANDONED) {
            // This engine cannot see when the worker's thread ends: its locks stay held until their ttl runs out.
            abandonedOnBackend = true;
            error = Optional.of(error.orElse("an attempt was abandoned") + "; this engine's locks stay held until their "
                    + "ttl (" + human(ctx.cfg.lockTtl()) + ") runs out");
            vars.put("error_message", error.get());
        }
        if (!ctx.cancelled && (o.status() == ExecutionStatus.ROLLED_BACK || o.status() == ExecutionStatus.FAILED)
                && failedPolicy(vars) == OnFailure.ESCALATE) {
            // as in-process: the backend rolled back, the handoff to the next runbook is the engine's
            String escalated = error.orElse("") + "; " + chooseEscalation();
            vars.put("error_message", escalated);
            error = Optional.of(escalated);
        }
        boolean succeeded = o.status() == ExecutionStatus.SUCCEEDED;
        List<NotificationResult> notes = Notifications.send(ctx, crb, succeeded, vars);
        // a failure on the backend counts toward pause_after as an in-process one does; an unknown outcome counts
        // once recovery knows it
        return finish(o.status(), o.steps(), o.rollbackSteps(), succeeded || ctx.outcomeUnknown ? notes
                : AutoPause.afterRun(ctx, crb, o.status(), vars, notes), error);
    }

    /** The approved plan run in process, on the engine's threads, rolled back when it fails or is cancelled. */
    private Execution execute(GuardPipeline guards) {
        Optional<String> unjournaled = Journaling.start(ctx, crb, guards.params(), dryRunSteps);
        if (unjournaled.isPresent()) {
            nothingChanged = true;
            return finish(ExecutionStatus.FAILED, List.of(), List.of(), List.of(), unjournaled);
        }
        Variables vars = StepRunner.variables(ctx, crb, guards.params(), false);
        var real = new StepRunner(ctx, rb, false, false, vars, 0);
        StepRunner.Outcome out;
        try {
            out = real.run(crb.steps());
        } catch (RuntimeException | Error e) { // NOPMD: a change may have been made; roll it back
            LOG.error("execution {}: engine failure while running steps", ctx.id, e);
            out = new StepRunner.Outcome();
            out.failedStep = "";
            out.error = "engine failure: " + Messages.rootMessage(e);
            out.policy = OnFailure.ROLLBACK;
        }
        if (!out.failed() && !ctx.cancelled) {
            return finish(ExecutionStatus.SUCCEEDED, real.results, List.of(),
                    Notifications.send(ctx, crb, true, vars), Optional.empty());
        }
        String message = ctx.cancelled && !out.failed() ? "execution cancelled" : out.error;
        String failedStep = out.failedStep == null ? "" : out.failedStep;
        String error = failedStep.isEmpty() ? message : "step '" + failedStep + "' failed: " + message;

        // No rollback may start while an abandoned attempt can still write.
        List<AttemptHandle> alive = ctx.awaitAbandoned();
        if (!alive.isEmpty()) {
            error += "; " + ctx.stillRunning(alive);
            vars.put("error_message", error);
            vars.put("failed_step", failedStep);
            return finish(ExecutionStatus.ABANDONED, real.results, List.of(), AutoPause.afterRun(ctx, crb,
                    ExecutionStatus.ABANDONED, vars, Notifications.send(ctx, crb, false, vars)), Optional.of(error));
        }
        vars.put("error_message", error);
        vars.put("failed_step", failedStep);
        boolean rollback = ctx.cancelled || out.policy.rollsBack();
        List<StepResult> rollbackSteps = List.of();
        ExecutionStatus status;
        if (rollback && !crb.rollback().isEmpty()) {
            run.beginRollback();
            Listeners.rollbackStarted(ctx.cfg.listeners(), ctx.id, rb.id(), error);
            var undo = new StepRunner(ctx, rb, false, true, vars, 0);
            StepRunner.Outcome r;
            try {
                r = undo.run(crb.rollback());
            } catch (RuntimeException | Error e) { // NOPMD: a failed rollback is reported, never thrown
                LOG.error("execution {}: engine failure during rollback", ctx.id, e);
                r = new StepRunner.Outcome();
                r.failedStep = "";
                r.error = "engine failure: " + Messages.rootMessage(e);
            }
            rollbackSteps = undo.results;
            if (r.failed()) {
                // Whatever interrupted the run, a rollback that failed needs a person.
                status = ExecutionStatus.ROLLBACK_FAILED;
                error += "; rollback step '" + r.failedStep + "' failed: " + r.error;
                vars.put("error_message", error);
            } else {
                status = ctx.cancelled ? ExecutionStatus.CANCELLED : ExecutionStatus.ROLLED_BACK;
            }
        } else {
            status = ctx.cancelled ? ExecutionStatus.CANCELLED : ExecutionStatus.FAILED;
        }
        if (out.policy == OnFailure.ESCALATE && !ctx.cancelled
                && (status == ExecutionStatus.ROLLED_BACK || status == ExecutionStatus.FAILED)) {
            error += "; " + chooseEscalation();
            vars.put("error_message", error);
        }
        return finish(status, real.results, rollbackSteps,
                AutoPause.afterRun(ctx, crb, status, vars, Notifications.send(ctx, crb, false, vars)), Optional.of(error));
    }

    /** The policy of the step a backend's outcome names as the one that failed ({@code failed_step}). */
    private OnFailure failedPolicy(Variables vars) {
        Object name = vars.view().get("failed_step");
        return dev.runbook.core.model.StepGraph.flatten(rb.steps().steps()).stream()
                .filter(s -> s.name().equals(name)).map(dev.runbook.core.model.Step::onFailure).findFirst()
                .orElse(OnFailure.ROLLBACK);
    }

    /**
     * Registers the run of the next matching runbook not yet tried, if the depth allows and it can start (see
     * {@link ExecutionRun#prepareEscalation}); what was decided, for the record and the notifications.
     */
    private String chooseEscalation() {
        List<String> earlier = run.earlier();
        int max = ctx.cfg.selection().maxEscalationDepth();
        if (earlier.size() >= max) {
            return "not escalated: the escalation depth limit (" + max + ") is reached";
        }
        Optional<String> candidate = match.matchingRunbooks().stream().map(Runbook::id)
                .filter(id -> !id.equals(rb.id()) && !earlier.contains(id) && run.mayRun(id))
                .findFirst();
        if (candidate.isEmpty()) {
            return "not escalated: no other runbook matches incident " + ctx.incident.incidentId();
        }
        Optional<String> cannotStart = run.prepareEscalation(candidate.get());
        if (cannotStart.isPresent()) {
            return "not escalated: runbook " + candidate.get() + " could not be started: " + cannotStart.get();
        }
        return "escalated to runbook " + candidate.get();
    }

    private Execution finish(ExecutionStatus status, List<StepResult> steps, List<StepResult> rollback,
                             List<NotificationResult> notes, Optional<String> error) {
        return new Execution(ctx.id, rb.id(), rb.version(), ctx.incident.incidentId(), status, match, ctx.decisions,
                ctx.approval, dryRunSteps, steps, rollback, ctx.actionsTaken, notes, error, run.executedBy(),
                started, ctx.cfg.clock().instant());
    }
}
