package dev.runbook.core.engine.internal;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.ExecutionBackend;
import dev.runbook.core.engine.ExecutionStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands an approved plan to the engine's {@link ExecutionBackend}; never throws. */
final class Delegation {
    private static final Logger LOG = LoggerFactory.getLogger(Delegation.class);

    private Delegation() {
    }

    /** Runs the plan on the backend; the caller has set {@code ctx.delegated}, which this clears at the end. */
    static ExecutionBackend.Outcome run(RunContext ctx, CompiledRunbook crb, ExecutionBackend backend,
                                        Map<String, Object> params, Variables vars) {
        ExecutionBackend.Outcome o;
        if (ctx.cancelled) {
            cancel(ctx); // cancelled before the plan started: the backend stops it once it does
        }
        try {
            o = backend.execute(new ExecutionBackend.Plan(ctx.id, crb.runbook(), ctx.incident,
                    SingleStep.wireVariables(params), ctx.leases.lockedKeys()));
        } catch (ExecutionBackend.OutcomeUnknownException e) {
            LOG.warn("execution {}: the execution backend cannot tell how its plan went: {}", ctx.id, e.getMessage());
            o = new ExecutionBackend.Outcome(ExecutionStatus.ABANDONED, List.of(), List.of(), List.of(),
                    Optional.of(e.getMessage() + "; its journal entry is left for recovery, which records what happened "
                            + "once the backend answers"), Map.of());
            ctx.outcomeUnknown = true;
        } catch (RuntimeException | Error e) { // NOPMD: a change may have been made; the record says so
            LOG.error("execution {}: execution backend failed", ctx.id, e);
            o = new ExecutionBackend.Outcome(ExecutionStatus.FAILED, List.of(), List.of(), List.of(),
                    Optional.of("execution backend failed: " + Messages.rootMessage(e)), Map.of());
        } finally {
            ctx.delegated = false;
        }
        ctx.actionsTaken.addAll(o.actionsTaken());
        o.variables().forEach(vars::put);
        return o;
    }

    /** Asks the backend to stop the execution's plan; never throws. */
    static void cancel(RunContext ctx) {
        try {
            if (!ctx.cfg.backend().map(b -> b.cancel(ctx.id)).orElse(false)) {
                LOG.warn("execution {}: its execution backend cannot cancel it; it runs to its end", ctx.id);
            }
        } catch (RuntimeException e) {
            LOG.error("execution {}: the execution backend failed to cancel it", ctx.id, e);
        }
    }
}
