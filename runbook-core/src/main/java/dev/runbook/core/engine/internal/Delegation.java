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

    static ExecutionBackend.Outcome run(RunContext ctx, CompiledRunbook crb, ExecutionBackend backend,
                                        Map<String, Object> params, Variables vars) {
        ExecutionBackend.Outcome o;
        try {
            o = backend.execute(new ExecutionBackend.Plan(ctx.id, crb.runbook(), ctx.incident,
                    SingleStep.wireVariables(params), ctx.leases.lockedKeys()));
        } catch (RuntimeException | Error e) { // NOPMD: a change may have been made; the record says so
            LOG.error("execution {}: execution backend failed", ctx.id, e);
            o = new ExecutionBackend.Outcome(ExecutionStatus.FAILED, List.of(), List.of(), List.of(),
                    Optional.of("execution backend failed: " + Messages.rootMessage(e)), Map.of());
        }
        ctx.actionsTaken.addAll(o.actionsTaken());
        o.variables().forEach(vars::put);
        return o;
    }
}
