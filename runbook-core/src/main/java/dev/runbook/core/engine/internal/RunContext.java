package dev.runbook.core.engine.internal;

import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.internal.Durations;
import dev.runbook.core.model.Incident;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The state of one execution that its guards, steps and rollback share. Written by the execution's thread. */
final class RunContext {
    final EngineConfig cfg;
    final Incident incident;
    final boolean planOnly;
    /** A backtest's decision only: match and the replayable guards, no dry run, approval or step (see Decisions). */
    final boolean decideOnly;
    final String id;
    final Leases leases;
    /**
     * The execution backend could not tell how the plan went: the journal entry is left unfinished for recovery,
     * and nothing is counted toward {@code pause_after} until then.
     */
    volatile boolean outcomeUnknown;
    /** The thread this execution's attempts run on. */
    final AttemptLane lane;
    final List<GuardDecision> decisions = new ArrayList<>();
    final List<String> actionsTaken = new ArrayList<>();
    /** Attempts that did not stop when told to; their threads may still be changing things. */
    final List<AttemptHandle> abandoned = new CopyOnWriteArrayList<>();
    Optional<ApprovalDecision> approval = Optional.empty();
    volatile boolean cancelled;
    /** Set once the rollback starts: from then on a cancellation no longer interrupts anything. */
    volatile boolean rollingBack;
    /** Whether the journal holds this execution (it then records its steps and its end). */
    volatile boolean journaled;
    /** Whether an {@code ExecutionBackend} runs the plan now: a cancellation then goes to it, not to a thread. */
    volatile boolean delegated;
    /** For a backend's call of one attempt (StepExecutor.StepCall#attempt): that attempt; 0 for every attempt. */
    int onlyAttempt;
    /** Values fixed at a step's first attempt, carried across a backend's attempt calls (null: the step's own). */
    java.util.Map<String, Object> fixedAtFirst;
    /** Set by a call of one attempt that failed and may be tried again: the wait before the next. */
    Optional<java.time.Duration> retryAfter = Optional.empty();

    RunContext(EngineConfig cfg, Incident incident, boolean planOnly, String id) {
        this(cfg, incident, planOnly, false, id);
    }

    RunContext(EngineConfig cfg, Incident incident, boolean planOnly, boolean decideOnly, String id) {
        this.cfg = cfg;
        this.incident = incident;
        this.planOnly = planOnly || decideOnly;
        this.decideOnly = decideOnly;
        this.id = id;
        this.leases = new Leases(cfg, id);
        this.lane = new AttemptLane(cfg.attemptThreads());
    }

    private Object incidentVariable;

    /**
     * The incident as templates and expressions read it, frozen once per execution (the dry run and the real run
     * both read it).
     */
    Object incidentVariable() {
        if (incidentVariable == null) {
            incidentVariable = dev.runbook.core.expression.Values.freeze(incident.toMap());
        }
        return incidentVariable;
    }

    /** Abandoned attempts whose threads have not ended yet. */
    List<AttemptHandle> aliveAbandoned() {
        return abandoned.stream().filter(AttemptHandle::alive).toList();
    }

    /**
     * Waits, up to the engine's {@code abandonedAttemptWait} in all, for abandoned attempts to end (no rollback may
     * start while one can still write); those still alive.
     */
    List<AttemptHandle> awaitAbandoned() {
        List<AttemptHandle> alive = aliveAbandoned();
        if (alive.isEmpty()) {
            return alive;
        }
        long deadline = System.nanoTime() + cfg.abandonedAttemptWait().toNanos();
        for (AttemptHandle h : alive) {
            long left = Math.max(0, deadline - System.nanoTime());
            h.awaitIgnoringInterrupts(java.time.Duration.ofNanos(left));
        }
        return aliveAbandoned();
    }

    /**
     * Why the rollback was not started: {@code alive}'s first attempt still ran {@code abandonedAttemptWait} after
     * it was abandoned.
     */
    String stillRunning(List<AttemptHandle> alive) {
        return alive.get(0).describe() + " was still running " + Durations.human(cfg.abandonedAttemptWait())
                + " later: a change may still be in flight, the rollback was not started and the locks stay held "
                + "until it ends";
    }
}
