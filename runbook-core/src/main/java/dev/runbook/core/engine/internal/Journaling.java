package dev.runbook.core.engine.internal;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.ExecutionJournal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's writes to the {@link ExecutionJournal}. The start and every intent are written ahead of the
 * change and stop it when they fail; the other writes are logged when they fail (the intent already says a change
 * may have happened).
 */
final class Journaling {
    private static final Logger LOG = LoggerFactory.getLogger(Journaling.class);

    private Journaling() {
    }

    /**
     * Records the start once; the reason when the journal cannot be written (then nothing may change). A runbook
     * that can change nothing (no mutating or chained step, no rollback) is not journaled: a crash leaves nothing
     * half done, and an incident storm of read-only runbooks costs the journal nothing. With an
     * {@code ExecutionBackend} the start is marked as the backend's (from the approval wait on, since the start is
     * written once): its recovery is the backend's, never {@link Recovery}'s.
     */
    static Optional<String> start(RunContext ctx, CompiledRunbook crb, Map<String, Object> params, List<StepResult> plan) {
        if (ctx.journaled || ctx.planOnly || (crb.mutatingSteps() == 0 && crb.rollback().isEmpty())) {
            return Optional.empty();
        }
        var cfg = ctx.cfg;
        var visible = new LinkedHashMap<String, Object>();
        crb.runbook().parameters().forEach(p -> {
            if (!p.secret()) {
                visible.put(p.name(), params.get(p.name()));
            }
        });
        try {
            cfg.journal().started(new ExecutionJournal.JournalStart(ctx.id, cfg.owner(), crb.runbook().id(),
                    crb.runbook().version(), ctx.incident.toMap(), StepRunner.withoutNulls(visible), plan, cfg.clock().instant(),
                    cfg.clock().instant().plus(cfg.lockTtl()), cfg.backend().isPresent()));
            ctx.journaled = true;
            ctx.leases.journalLease(true);
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.error("execution {}: the journal could not record its start; nothing will be changed", ctx.id, e);
            return Optional.of("the execution journal could not be written, so nothing was changed: "
                    + Messages.rootMessage(e));
        }
    }

    /** Records the intent of a real attempt; the reason when it cannot be written (then the attempt must not run). */
    static Optional<String> intent(RunContext ctx, String step, String action, int attempt, boolean rollback,
                                   Map<String, Object> recordedParams) {
        if (!ctx.journaled) {
            return Optional.empty();
        }
        try {
            ctx.cfg.journal().intent(new ExecutionJournal.StepIntent(ctx.id, ctx.cfg.owner(), step, action, attempt, rollback,
                    recordedParams, ctx.cfg.clock().instant()));
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.error("execution {}: the journal could not record the intent of step '{}'", ctx.id, step, e);
            return Optional.of("the execution journal could not record this change ahead of it, so it was not made: "
                    + Messages.rootMessage(e));
        }
    }

    /** Records a step with the variables a recovery needs; secrets and host parameters stay out of the journal. */
    static void step(RunContext ctx, StepResult r, boolean rollback, Map<String, Object> variables,
                     java.util.Set<String> secret) {
        if (!ctx.journaled || r.dryRun()) {
            return;
        }
        var plain = new LinkedHashMap<String, Object>();
        variables.forEach((k, v) -> {
            if (!k.equals("incident") && !k.equals("execution") && v != null && !secret.contains(k)) {
                plain.put(k, v);
            }
        });
        try {
            ctx.cfg.journal().stepRecorded(ctx.id, r, rollback, plain);
        } catch (RuntimeException e) {
            LOG.warn("execution {}: the journal could not record step '{}': {}", ctx.id, r.name(), e.toString());
        }
    }

    /**
     * Records the steps a backend reports at the end of its plan, real run then rollback, each with the variables at
     * the end (the backend reports no earlier ones).
     */
    static void backendSteps(RunContext ctx, CompiledRunbook crb, List<StepResult> steps, List<StepResult> rollback,
                             Map<String, Object> variables) {
        steps.forEach(r -> step(ctx, r, false, variables, crb.secretNames()));
        rollback.forEach(r -> step(ctx, r, true, variables, crb.secretNames()));
    }

    static void finish(RunContext ctx, Execution e) {
        if (!ctx.journaled || ctx.outcomeUnknown) {
            // unknown: the entry stays running, so that recovery asks the backend once it answers
            return;
        }
        try {
            ctx.cfg.journal().finished(e);
        } catch (RuntimeException ex) {
            LOG.warn("execution {}: the journal could not record its end: {}", ctx.id, ex.toString());
        }
    }
}
