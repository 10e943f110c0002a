package dev.runbook.core.engine.internal;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.compile.CompiledStep;
import dev.runbook.core.engine.StepExecutor;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.model.OnFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StepExecutor}: one top-level step in a context of its own, sharing the execution's id (so its locks are the
 * execution's) and the engine's guard store, threads and listeners. Its locks are released when the step ends;
 * what it counted stays counted.
 */
public final class SingleStep implements StepExecutor {
    private final EngineConfig cfg;

    /** Runs steps of {@code cfg}'s runbooks. */
    public SingleStep(EngineConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public StepRun run(StepCall call) {
        CompiledRunbook crb = cfg.runbooks().get(call.runbookId());
        if (crb == null) {
            throw new IllegalArgumentException("runbook '" + call.runbookId() + "' is not in this engine's library; "
                    + "give every worker the same runbooks as the engine that planned the execution");
        }
        List<CompiledStep> seq = call.rollback() ? crb.rollback() : crb.steps();
        if (call.index() >= seq.size()) {
            throw new IllegalArgumentException("runbook '" + call.runbookId() + "' has " + seq.size() + " "
                    + (call.rollback() ? "rollback " : "") + "steps, no step " + call.index()
                    + ": was it changed while this execution ran?");
        }
        var ctx = new RunContext(cfg, call.incident(), false, call.executionId());
        ctx.leases.heldElsewhere(call.heldLocks());
        if (call.attempt() > 0 && seq.get(call.index()) instanceof CompiledStep.Call) {
            // one attempt of one action call; a branch or chained runbook runs whole, each nested step its own way
            ctx.onlyAttempt = call.attempt();
            ctx.fixedAtFirst = new java.util.concurrent.ConcurrentHashMap<>(call.fixed());
        }
        List<AttemptHandle> alive = List.of();
        try {
            Variables vars = StepRunner.variables(ctx, crb, Map.of(), false);
            call.variables().forEach(vars::put);
            if (call.rollback() && call.index() == 0 && call.attempt() <= 1) {
                Listeners.rollbackStarted(cfg.listeners(), ctx.id, crb.id(),
                        String.valueOf(call.variables().getOrDefault("error_message", "")));
            }
            var runner = new StepRunner(ctx, crb.runbook(), false, call.rollback(), vars, 0);
            StepRunner.Outcome out = runner.run(List.of(seq.get(call.index())));
            // As in-process: an abandoned attempt stops the sequence whatever on_failure says, and the caller's next
            // move (the rollback) must wait for it; the caller is told not to start when it outlives the wait.
            alive = ctx.awaitAbandoned();
            boolean abandoned = !alive.isEmpty();
            String error = abandoned ? out.error + "; " + ctx.stillRunning(alive) : out.error;
            return new StepRun(runner.results, wireVariables(vars.view()), List.copyOf(ctx.actionsTaken),
                    Optional.ofNullable(out.failedStep), Optional.ofNullable(error),
                    out.policy == null ? OnFailure.ROLLBACK : out.policy, abandoned ? Optional.empty() : ctx.retryAfter,
                    ctx.fixedAtFirst == null ? Map.of() : ctx.fixedAtFirst, abandoned);
        } finally {
            if (alive.isEmpty()) {
                ctx.leases.releaseAll();
            } else {
                ctx.leases.releaseWhenEnded(alive); // the locks this worker took stay held while the attempt runs
            }
            ctx.lane.close();
        }
    }

    @Override
    public void stepStarted(String executionId, String runbookId, StepResult.Start start) {
        Listeners.stepStarted(cfg.listeners(), executionId, runbookId, start);
    }

    @Override
    public void stepFinished(String executionId, String runbookId, StepResult result) {
        Listeners.stepFinished(cfg.listeners(), executionId, runbookId, result);
    }

    @Override
    public void rollbackStarted(String executionId, String runbookId, String reason) {
        Listeners.rollbackStarted(cfg.listeners(), executionId, runbookId, reason);
    }

    /** The variables a backend carries between steps: set ones, without those every step re-creates. */
    static Map<String, Object> wireVariables(Map<String, Object> view) {
        var out = new HashMap<String, Object>();
        view.forEach((k, v) -> {
            if (v != null && !"incident".equals(k) && !"execution".equals(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
