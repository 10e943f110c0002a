package dev.runbook.core.engine.internal;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatcher;
import dev.runbook.core.model.Incident;
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
 * receives it. This class owns the run's thread, its cancellation, the match and the hand-on to an escalation;
 * the chosen runbook's guards, steps and rollback are its {@link RunbookFlow}'s.
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
    private RunbookFlow flow;
    /** The run this one escalates to, from when it is registered: a cancellation goes on to it. Guarded by phase. */
    private ExecutionRun escalation;
    /** The escalation registered by {@link #prepareEscalation} and not run yet; only this run's thread uses it. */
    private ExecutionRun prepared;
    /** Whether this run was asked to stop: it is asked once (interrupt, backend) however many ask. Guarded by phase. */
    private boolean cancelAsked;
    /** Where this run is registered; its escalation registers there too. */
    private RunningExecutions registry;

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
     * rollback has begun this only marks the execution cancelled: the rollback runs to its end. Once this run has
     * handed the incident to an escalation, the cancellation goes to that run. Asking again does nothing more.
     *
     * @return the run asked to stop: this one, or the escalation running for it
     */
    public ExecutionRun cancel() {
        ExecutionRun next;
        boolean first;
        synchronized (phase) {
            ctx.cancelled = true;
            next = escalation;
            first = !cancelAsked;
            cancelAsked = true;
            if (next == null && first && !ctx.rollingBack && worker != null && !ctx.delegated) {
                worker.interrupt();
            }
        }
        if (next != null) {
            return next.cancel(); // this run has ended; the one it handed to is the one running
        }
        if (first && ctx.delegated) {
            // The thread waits for the backend's outcome: the backend stops the plan and reports it.
            Delegation.cancel(ctx);
        }
        return this;
    }

    /** Set by {@link RunningExecutions} when it registers this run. */
    void registeredIn(RunningExecutions registry) {
        this.registry = registry;
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
                discardEscalation(); // the record says the engine failed, not that it escalated
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
     * Creates and registers the run the incident is handed to next, before this run's record, notifications and
     * journal entry say it escalates: so that they say so only when the next run is sure to start (a repeated
     * execution id or a failing id supplier is found here), and so that a cancellation reaching this run from now on
     * goes on to that one. Called on this run's thread, by its flow, after the rollback.
     *
     * @return why the next run cannot start, or empty when it is registered and will start
     */
    Optional<String> prepareEscalation(String runbookId) {
        try {
            var chain = new java.util.ArrayList<String>(earlier());
            chain.add(flow.rb.id());
            var next = new ExecutionRun(new RunContext(ctx.cfg, ctx.incident, false, ctx.cfg.ids().get()), executedBy,
                    matcher, runbooks, new Handoff(flow.match, runbookId, chain));
            synchronized (phase) {
                if (ctx.cancelled) {
                    return Optional.of("the execution was cancelled");
                }
                // Registered before a cancellation can reach it through this run: listed and cancellable by its id.
                registry.registerEscalation(next);
                escalation = next;
            }
            prepared = next;
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.error("execution {}: the escalation to runbook {} cannot start", ctx.id, runbookId, e);
            return Optional.of(Messages.rootMessage(e));
        }
    }

    /** Unregisters an escalation that will not run. */
    private void discardEscalation() {
        ExecutionRun next = prepared;
        if (next == null) {
            return;
        }
        prepared = null;
        synchronized (phase) {
            escalation = null;
        }
        registry.discard(next);
    }

    /**
     * Runs the escalation this run's flow registered ({@link #prepareEscalation}), once this run's record is final,
     * and links the record to that run's. This run's locks are already released: the next runbook's guards see the
     * resource free, and refuse or allow it as for any execution. A cancellation that came meanwhile went on to the
     * next run, which then ends at once, cancelled before it started.
     */
    private Execution escalate(Execution e) {
        ExecutionRun next = prepared;
        if (next == null) {
            return e;
        }
        prepared = null;
        LOG.info("execution {} of runbook {} for incident {} escalates to runbook {} (execution {})", ctx.id,
                flow.rb.id(), ctx.incident.incidentId(), next.handoff.runbookId(), next.id());
        return e.withEscalatedTo(registry.run(next));
    }

    private Execution runInner(Instant started) {
        if (handoff != null) {
            Listeners.executionStarted(ctx.cfg.listeners(), ctx.id, ctx.incident, handoff.match());
            if (ctx.cancelled) {
                // cancelled while the run handing to it was finishing: no guard, approval or step
                LOG.info("execution {} of runbook {} for incident {} cancelled before it started", ctx.id,
                        handoff.runbookId(), ctx.incident.incidentId());
                CompiledRunbook crb = runbooks.get(handoff.runbookId());
                return new Execution(ctx.id, handoff.runbookId(), crb == null ? "" : crb.runbook().version(),
                        ctx.incident.incidentId(), ExecutionStatus.CANCELLED, handoff.match(), List.of(), Optional.empty(),
                        List.of(), List.of(), List.of(), List.of(), List.of(),
                        Optional.of("cancelled before it started (escalated to from runbook "
                                + handoff.earlier().get(handoff.earlier().size() - 1) + ")"),
                        executedBy, started, ctx.cfg.clock().instant());
            }
            flow = new RunbookFlow(this, ctx, runbooks.get(handoff.runbookId()), handoff.match(), started);
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
        flow = new RunbookFlow(this, ctx, crb, match, started);
        return flow.run();
    }

    /** Moves to the rollback phase: from here a cancellation interrupts nothing. */
    void beginRollback() {
        synchronized (phase) {
            ctx.rollingBack = true;
            Thread.interrupted();
        }
    }

    /** Marks the run as delegated: the engine's backend runs its plan now. */
    void beginDelegation() {
        synchronized (phase) {
            // From here a cancellation goes to the backend; an interrupt it already sent is dropped.
            ctx.delegated = true;
            if (ctx.cancelled) {
                Thread.interrupted();
            }
        }
    }

    /** Who the record names as executor. */
    String executedBy() {
        return executedBy;
    }

    /** The runbooks that ran before this one in an escalation chain, first first; empty for an incident's first run. */
    List<String> earlier() {
        return handoff == null ? List.of() : handoff.earlier();
    }

    /** Whether this run may hand on to runbook {@code id} (it is among the runbooks it chooses from). */
    boolean mayRun(String id) {
        return runbooks.containsKey(id);
    }
}
