package dev.runbook.core.engine.internal;

import static dev.runbook.core.internal.Durations.human;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.NotificationResult;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatcher;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Runbook;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One incident taken through match, guards ({@link GuardPipeline}), dry run, execution ({@link StepRunner},
 * {@link StepAttempts}), rollback and notification. Used once, on the caller's thread; action attempts run on
 * the engine's own threads. Never throws: whatever fails, the execution record says so and every listener
 * receives it.
 */
public final class ExecutionRun {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionRun.class);

    private final RunContext ctx;
    /** Who the record names as executor: the engine's, or the caller's of a run on behalf of someone. */
    private final String executedBy;
    /** The runbooks this run may choose from and how it matches them: the library's, or one ad-hoc runbook. */
    private final RunbookMatcher matcher;
    private final Map<String, CompiledRunbook> runbooks;
    private final Object phase = new Object();
    private Thread worker;
    /** For a run an earlier runbook escalated to: the chain so far; null for the first run of an incident. */
    private final Handoff handoff;
    /** The flow of the chosen runbook, once chosen. */
    private Flow flow;
    /** The run this one escalated to, while it runs: a cancellation goes on to it. */
    private ExecutionRun escalation;

    /**
     * What an escalation hands on.
     *
     * @param match     the first run's match report (the chain shares one choice)
     * @param runbookId the runbook to run now
     * @param earlier   the runbooks that ran before it in the chain, first first
     */
    private record Handoff(MatchReport match, String runbookId, List<String> earlier) {
    }

    public ExecutionRun(EngineConfig cfg, Incident incident, boolean planOnly) {
        this(cfg, incident, planOnly, cfg.executedBy(), cfg.matcher(), cfg.runbooks());
    }

    /**
     * A run recorded as executed by {@code executedBy} that matches the incident against {@code matcher} and runs
     * the chosen runbook of {@code runbooks} (the engine's library, or one ad-hoc runbook compiled by the caller).
     */
    public ExecutionRun(EngineConfig cfg, Incident incident, boolean planOnly, String executedBy,
                        RunbookMatcher matcher, Map<String, CompiledRunbook> runbooks) {
        this(new RunContext(cfg, incident, planOnly, cfg.ids().get()), executedBy, matcher, runbooks, null);
    }

    private ExecutionRun(RunContext ctx, String executedBy, RunbookMatcher matcher,
                         Map<String, CompiledRunbook> runbooks, Handoff handoff) {
        this.ctx = ctx;
        this.executedBy = executedBy;
        this.matcher = matcher;
        this.runbooks = runbooks;
        this.handoff = handoff;
    }

    /**
     * A backtest's decision for the incident: the match and the guards a replay can know (enabled, confidence,
     * namespace, parameters, dedupe, rate limits and cooldowns; not the dry run, blast radius, target locks or
     * approval), counted in the guard store exactly as a run would count them; no step runs. Allowed, it ends
     * {@link ExecutionStatus#PLANNED} with its counted events kept and its locks held until {@code cfg.lockTtl()}
     * runs out (the execution's assumed length); denied, it gives back what it counted, as a denied run does.
     */
    public static ExecutionRun decision(EngineConfig cfg, Incident incident) {
        return new ExecutionRun(new RunContext(cfg, incident, false, true, cfg.ids().get()), cfg.executedBy(),
                cfg.matcher(), cfg.runbooks(), null);
    }

    /** This execution's id. */
    public String id() {
        return ctx.id;
    }

    /** The incident handled. */
    public Incident incident() {
        return ctx.incident;
    }

    /**
     * Asks the execution to stop: a running attempt is interrupted, no further step starts, and the rollback
     * runs as for a failure. A plan an {@code ExecutionBackend} runs is stopped by the backend instead. Once the
     * rollback has begun this only marks the execution cancelled: the rollback
     * runs to its end.
     */
    public void cancel() {
        synchronized (phase) {
            ctx.cancelled = true;
            if (escalation != null) {
                escalation.cancel(); // this run has ended; the one it handed to is the one running
                return;
            }
            if (!ctx.rollingBack && worker != null && !ctx.delegated) {
                worker.interrupt();
            }
        }
        if (ctx.delegated) {
            // The thread waits for the backend's outcome: the backend stops the plan and reports it.
            Delegation.cancel(ctx);
        }
    }

    /** Runs it; never throws (a runbook's failure, and the engine's, are recorded in the result). */
    public Execution run() {
        synchronized (phase) {
            worker = Thread.currentThread();
        }
        Instant started = ctx.cfg.clock().instant();
        try {
            Execution e;
            try {
                e = runInner(started);
            } catch (RuntimeException | Error t) { // NOPMD: the host gets a record, never the engine's failure
                LOG.error("execution {}: engine failure", ctx.id, t);
                e = new Execution(ctx.id, "", "", ctx.incident.incidentId(), ExecutionStatus.FAILED,
                        new MatchReport(ctx.incident, List.of(), List.of()), ctx.decisions, ctx.approval, List.of(), List.of(), List.of(),
                        ctx.actionsTaken, List.of(), Optional.of("engine failure: " + Messages.rootMessage(t)),
                        executedBy, started, ctx.cfg.clock().instant());
            }
            Journaling.finish(ctx, e);
            e = escalate(e);
            Listeners.executionFinished(ctx.cfg.listeners(), e);
            return e;
        } finally {
            ctx.lane.close();
            synchronized (phase) {
                worker = null;
                // An interrupt aimed at this execution must not leak into the caller's thread.
                Thread.interrupted();
            }
        }
    }

    /**
     * Hands the incident to the next runbook when this one asked to ({@code on_failure: escalate}) after its rollback,
     * and links the record to that run's. This run's locks are already released: the next runbook's guards see the
     * resource free, and refuse or allow it as for any execution.
     */
    private Execution escalate(Execution e) {
        if (flow == null || flow.next.isEmpty()) {
            return e;
        }
        try {
            var chain = new java.util.ArrayList<String>(handoff == null ? List.of() : handoff.earlier());
            chain.add(flow.rb.id());
            var next = new ExecutionRun(new RunContext(ctx.cfg, ctx.incident, false, ctx.cfg.ids().get()), executedBy, matcher, runbooks,
                    new Handoff(flow.match, flow.next.get(), chain));
            synchronized (phase) {
                if (ctx.cancelled) {
                    return e;
                }
                escalation = next;
            }
            LOG.info("execution {} of runbook {} for incident {} escalates to runbook {} (execution {})", ctx.id,
                    flow.rb.id(), ctx.incident.incidentId(), flow.next.get(), next.id());
            return e.withEscalatedTo(next.run());
        } catch (RuntimeException | Error t) { // NOPMD: the host gets the record, never the engine's failure
            LOG.error("execution {}: escalation failed", ctx.id, t);
            return e;
        }
    }

    private Execution runInner(Instant started) {
        if (handoff != null) {
            Listeners.executionStarted(ctx.cfg.listeners(), ctx.id, ctx.incident, handoff.match());
            flow = new Flow(runbooks.get(handoff.runbookId()), handoff.match(), started);
            return flow.run();
        }
        // The indexed path; explanations are built only if someone reads them (a miss explains the whole library).
        // The outcome ranking reads its history only when two or more runbooks match.
        MatchReport match = ctx.cfg.selection().rank(matcher.report(ctx.incident));
        Listeners.executionStarted(ctx.cfg.listeners(), ctx.id, ctx.incident, match);
        if (match.best().isEmpty()) {
            LOG.info("incident {}: no runbook matches", ctx.incident.incidentId());
            return new Execution(ctx.id, "", "", ctx.incident.incidentId(), ExecutionStatus.NO_MATCH, match, List.of(),
                    Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of(),
                    Optional.of("no runbook matches incident " + ctx.incident.incidentId()), executedBy, started,
                    ctx.cfg.clock().instant());
        }
        CompiledRunbook crb = runbooks.get(match.best().get().id());
        flow = new Flow(crb, match, started);
        return flow.run();
    }

    /** Moves to the rollback phase: from here a cancellation interrupts nothing. */
    private void beginRollback() {
        synchronized (phase) {
            ctx.rollingBack = true;
            Thread.interrupted();
        }
    }

    /** The flow for the chosen runbook. */
    private final class Flow {
        private final CompiledRunbook crb;
        private final Runbook rb;
        private final MatchReport match;
        private final Instant started;
        private List<StepResult> dryRunSteps = List.of();
        /** The runbook to escalate to once this flow's record is final. */
        private Optional<String> next = Optional.empty();

        Flow(CompiledRunbook crb, MatchReport match, Instant started) {
            this.crb = crb;
            this.rb = crb.runbook();
            this.match = match;
            this.started = started;
        }

        private boolean nothingChanged;
        /** A backtest's decision that allowed: what it counted stays counted. */
        private boolean decided;

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
                return execute(guards);
            } finally {
                List<AttemptHandle> alive = ctx.aliveAbandoned();
                if (!alive.isEmpty()) {
                    ctx.leases.releaseWhenEnded(alive);
                } else if (decided) {
                    ctx.leases.keepUntilExpiry();
                } else if (ctx.planOnly || denied || nothingChanged) {
                    // A denied or planned execution did not happen: give back what it counted.
                    ctx.leases.cancelAll();
                } else {
                    ctx.leases.releaseAll();
                }
            }
        }

        private Execution execute(GuardPipeline guards) {
            if (ctx.cfg.backend().isPresent()) {
                // Journaled as in-process, but marked as the backend's: its recovery is the backend's, not ours.
                Optional<String> unjournaled = Journaling.start(ctx, crb, guards.params(), dryRunSteps);
                if (unjournaled.isPresent()) {
                    nothingChanged = true;
                    return finish(ExecutionStatus.FAILED, List.of(), List.of(), List.of(), unjournaled);
                }
                // The engine keeps the locks while the backend runs the plan.
                Variables vars = StepRunner.variables(ctx, crb, guards.params(), false);
                synchronized (phase) {
                    // From here a cancellation goes to the backend; an interrupt it already sent is dropped.
                    ctx.delegated = true;
                    if (ctx.cancelled) {
                        Thread.interrupted();
                    }
                }
                var o = Delegation.run(ctx, crb, ctx.cfg.backend().get(), guards.params(), vars);
                Journaling.backendSteps(ctx, crb, o.steps(), o.rollbackSteps(), vars.view());
                Optional<String> error = o.error();
                if (!ctx.cancelled && (o.status() == ExecutionStatus.ROLLED_BACK || o.status() == ExecutionStatus.FAILED)
                        && failedPolicy(vars) == OnFailure.ESCALATE) {
                    // as in-process: the backend rolled back, the handoff to the next runbook is the engine's
                    String escalated = error.orElse("") + "; " + chooseEscalation();
                    vars.put("error_message", escalated);
                    error = Optional.of(escalated);
                }
                boolean succeeded = o.status() == ExecutionStatus.SUCCEEDED;
                List<NotificationResult> notes = Notifications.send(ctx, crb, succeeded, vars);
                // a failure on the backend counts toward pause_after as an in-process one does
                return finish(o.status(), o.steps(), o.rollbackSteps(),
                        succeeded ? notes : AutoPause.afterRun(ctx, crb, o.status(), vars, notes), error);
            }
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
            List<AttemptHandle> alive = awaitAbandoned();
            if (!alive.isEmpty()) {
                error += "; " + alive.get(0).describe() + " was still running " + human(ctx.cfg.abandonedAttemptWait())
                        + " later: a change may still be in flight, the rollback was not started and the locks stay "
                        + "held until it ends";
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
                beginRollback();
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

        /** Sets {@link #next} to the next matching runbook not yet tried, if the depth allows; what was decided. */
        private String chooseEscalation() {
            List<String> earlier = handoff == null ? List.of() : handoff.earlier();
            int max = ctx.cfg.selection().maxEscalationDepth();
            if (earlier.size() >= max) {
                return "not escalated: the escalation depth limit (" + max + ") is reached";
            }
            Optional<String> candidate = match.matchingRunbooks().stream().map(Runbook::id)
                    .filter(id -> !id.equals(rb.id()) && !earlier.contains(id) && runbooks.containsKey(id))
                    .findFirst();
            if (candidate.isEmpty()) {
                return "not escalated: no other runbook matches incident " + ctx.incident.incidentId();
            }
            next = candidate;
            return "escalated to runbook " + candidate.get();
        }

        /** Waits, bounded, for abandoned attempts to end; those still alive. */
        private List<AttemptHandle> awaitAbandoned() {
            List<AttemptHandle> alive = ctx.aliveAbandoned();
            if (alive.isEmpty()) {
                return alive;
            }
            long deadline = System.nanoTime() + ctx.cfg.abandonedAttemptWait().toNanos();
            for (AttemptHandle h : alive) {
                long left = Math.max(0, deadline - System.nanoTime());
                h.awaitIgnoringInterrupts(java.time.Duration.ofNanos(left));
            }
            return ctx.aliveAbandoned();
        }

        private Execution finish(ExecutionStatus status, List<StepResult> steps, List<StepResult> rollback,
                                 List<NotificationResult> notes, Optional<String> error) {
            return new Execution(ctx.id, rb.id(), rb.version(), ctx.incident.incidentId(), status, match, ctx.decisions,
                    ctx.approval, dryRunSteps, steps, rollback, ctx.actionsTaken, notes, error, executedBy,
                    started, ctx.cfg.clock().instant());
        }
    }
}
