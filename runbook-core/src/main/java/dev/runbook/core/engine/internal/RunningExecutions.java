package dev.runbook.core.engine.internal;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.Incident;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executions an engine runs now, and the engine's orderly end: a run is registered before it starts, so that
 * {@link #close()} waits for it or cancels it, and leaves when it ends. Thread-safe.
 */
public final class RunningExecutions {
    /** The engine's logger: closing is the engine's, as hosts configure it. */
    private static final Logger LOG = LoggerFactory.getLogger(RunbookEngine.class);

    private final EngineConfig cfg;
    private final ExecutorService asyncExecutor;
    private final boolean ownsAsyncExecutor;
    private final Duration closeGrace;
    private final Duration closeTimeout;
    private final Map<String, ExecutionRun> running = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private boolean closed;

    /**
     * @param asyncExecutor     where the asynchronous calls run
     * @param ownsAsyncExecutor whether the engine made it (and so shuts it down) or the host gave it
     * @param closeGrace        how long {@link #close()} lets running executions finish before cancelling them
     * @param closeTimeout      how long it then waits for the cancelled executions' rollbacks
     */
    public RunningExecutions(EngineConfig cfg, ExecutorService asyncExecutor, boolean ownsAsyncExecutor,
                             Duration closeGrace, Duration closeTimeout) {
        this.cfg = cfg;
        this.asyncExecutor = asyncExecutor;
        this.ownsAsyncExecutor = ownsAsyncExecutor;
        this.closeGrace = closeGrace;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Registers a new run, so that close() waits for it or cancels it.
     *
     * @throws IllegalStateException when the engine is closed
     */
    public ExecutionRun register(ExecutionRun run) {
        Incident incident = run.incident();
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the engine is closed; build a new one to handle incident "
                        + incident.incidentId());
            }
            add(run);
        }
        return run;
    }

    /**
     * Registers the run an escalation hands to, so that it can be listed and cancelled by its own id and close()
     * waits for it. Allowed while the engine closes: its parent, registered, holds the close until the chain ends.
     *
     * @throws IllegalStateException when its id is one running now (the child then never runs)
     */
    ExecutionRun registerEscalation(ExecutionRun child) {
        synchronized (lifecycle) {
            add(child);
        }
        return child;
    }

    /** Fails closed on a repeated id: a run the map cannot hold is one nothing could cancel or wait for. */
    private void add(ExecutionRun run) {
        ExecutionRun other = running.putIfAbsent(run.id(), run);
        if (other != null) {
            throw new IllegalStateException("execution id '" + run.id() + "' is already running (incident "
                    + other.incident().incidentId() + "), so incident " + run.incident().incidentId()
                    + " is not handled: the supplier given to RunbookEngine.Builder.executionIds must give a new id"
                    + " for every execution");
        }
        run.registeredIn(this);
    }

    /** Runs a registered run on the caller's thread; it leaves the running ones when it ends. */
    public Execution run(ExecutionRun run) {
        try {
            return run.run();
        } finally {
            finished(run);
        }
    }

    /** {@link #run} on the asynchronous executor. */
    public CompletableFuture<Execution> runAsync(ExecutionRun run) {
        try {
            return CompletableFuture.supplyAsync(() -> run(run), asyncExecutor);
        } catch (RuntimeException e) {
            // The host's executor refused (shut down, saturated): the registered run never starts.
            finished(run);
            throw e;
        }
    }

    /** Cancels the running executions of this execution id or incident id; how many were asked to stop. */
    public int cancel(String executionOrIncidentId) {
        // An escalation chain is one execution at a time: its parent's id, its own id and the incident's all reach the
        // run going on now, which is asked once and counted once.
        Set<ExecutionRun> asked = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (ExecutionRun r : running.values()) {
            if (r.id().equals(executionOrIncidentId) || r.incident().incidentId().equals(executionOrIncidentId)) {
                asked.add(r.cancel());
            }
        }
        return asked.size();
    }

    /** Ids of the executions running now. */
    public Set<String> ids() {
        return Set.copyOf(running.keySet());
    }

    /**
     * Stops new work, waits up to the close grace for running executions, then cancels those left and waits up to
     * the close timeout for their rollbacks; then stops the engine's own threads. Idempotent.
     */
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (!awaitIdle(closeGrace)) {
            LOG.warn("closing the engine: cancelling {} running execution(s) after {}", running.size(), closeGrace);
            running.values().forEach(ExecutionRun::cancel);
            if (!awaitIdle(closeTimeout)) {
                LOG.error("closing the engine: {} execution(s) still running after {}; their threads are left to end",
                        running.size(), closeTimeout);
            }
        }
        if (ownsAsyncExecutor) {
            asyncExecutor.shutdown();
        }
        // shutdown(), not shutdownNow(): an abandoned attempt keeps its thread, and its locks, until it ends.
        cfg.attemptThreads().shutdown();
        cfg.leaseRenewal().shutdown();
    }

    private boolean awaitIdle(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (lifecycle) {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lifecycle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return running.isEmpty();
                }
            }
            return true;
        }
    }

    /** Unregisters a registered run that will not run (an escalation its parent gave up). */
    void discard(ExecutionRun run) {
        finished(run);
    }

    private void finished(ExecutionRun run) {
        synchronized (lifecycle) {
            running.remove(run.id(), run);
            lifecycle.notifyAll();
        }
    }
}
