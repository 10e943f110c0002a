package dev.runbook.core.engine.internal;

import static dev.runbook.core.engine.internal.Messages.twoDecimals;
import static dev.runbook.core.internal.Durations.human;

import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.Guard;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.guard.PauseClaim;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The guards of one execution as a named pipeline, in {@link Guard} order: each is one method that allows,
 * denies or does not apply, and each decision carries its reason. The first denial stops the pipeline.
 * Reservations it obtains stay with the execution's {@link Leases}.
 */
final class GuardPipeline {

    /** One guard's verdict: allowed, denied, or not applicable (no decision recorded). */
    private record Check(Optional<Boolean> allowed, String reason) {
        static Check allow(String reason) {
            return new Check(Optional.of(true), reason);
        }

        static Check deny(String reason) {
            return new Check(Optional.of(false), reason);
        }

        static Check notApplicable() {
            return new Check(Optional.empty(), "");
        }
    }

    private final RunContext ctx;
    private final CompiledRunbook crb;
    private final Runbook rb;
    private final Safety safety;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private List<StepResult> dryRunSteps = List.of();
    private List<TouchedResource> planned = List.of();
    private boolean dryRunDone;
    /** The dedupe locks, when {@link #paused()} already asked for them. */
    private Optional<Reservation> dedupeLocks = Optional.empty();

    GuardPipeline(RunContext ctx, CompiledRunbook crb) {
        this.ctx = ctx;
        this.crb = crb;
        this.rb = crb.runbook();
        this.safety = rb.safety();
    }

    /** Runs the guards; the denying decision, or empty when every guard allowed. */
    Optional<GuardDecision> run() {
        for (Guard g : Guard.values()) {
            Check c = check(g);
            if (c.allowed().isEmpty()) {
                continue;
            }
            GuardDecision d = c.allowed().get() ? GuardDecision.allow(g, c.reason()) : GuardDecision.deny(g, c.reason());
            ctx.decisions.add(d);
            Listeners.guardDecided(ctx.cfg.listeners(), ctx.id, rb.id(), d);
            if (!d.allowed()) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The runbook's resolved parameters. */
    Map<String, Object> params() {
        return params;
    }

    /** The dry run's step results (empty when none ran). */
    List<StepResult> dryRunSteps() {
        return dryRunSteps;
    }

    private Check check(Guard g) {
        if (ctx.decideOnly && !replayable(g)) {
            return Check.notApplicable();
        }
        return switch (g) {
            case ENABLED -> enabled();
            case CONFIDENCE -> confidence();
            case NAMESPACE -> namespace();
            case PARAMETERS -> parameters();
            case PAUSED -> paused();
            case DEDUPE -> dedupe();
            case RATE_LIMIT -> rateLimit();
            case DRY_RUN -> dryRun();
            case BLAST_RADIUS -> blastRadius();
            case TARGETS -> targets();
            case APPROVAL -> approval();
        };
    }

    /**
     * Whether a backtest replays this guard: the dry run, blast radius, target locks and approval depend on the world
     * and the people at the time, which a replay does not have.
     */
    private static boolean replayable(Guard g) {
        return g != Guard.DRY_RUN && g != Guard.BLAST_RADIUS && g != Guard.TARGETS && g != Guard.APPROVAL;
    }

    private Check enabled() {
        Optional<String> kill = ctx.cfg.killSwitch().engaged();
        if (kill.isPresent()) {
            return Check.deny("kill switch engaged: " + kill.get());
        }
        if (!rb.enabled()) {
            return Check.deny("runbook " + rb.id() + " is disabled");
        }
        return Check.allow("runbook " + rb.id() + " is enabled and the kill switch is off");
    }

    private Check confidence() {
        double min = Math.max(rb.trigger().minConfidence(), safety.minConfidence());
        double conf = ctx.incident.rcaConfidence();
        if (conf < min) {
            return Check.deny("rca_confidence " + twoDecimals(conf) + " < min_confidence " + twoDecimals(min));
        }
        return Check.allow("rca_confidence " + twoDecimals(conf) + " >= min_confidence " + twoDecimals(min));
    }

    private Check namespace() {
        if (safety.allowedNamespaces().isEmpty()) {
            return Check.notApplicable();
        }
        String ns = ctx.incident.resource().namespace();
        if (!safety.allowedNamespaces().contains(ns)) {
            return Check.deny("namespace '" + ns + "' not in allowed_namespaces " + safety.allowedNamespaces());
        }
        return Check.allow("namespace '" + ns + "' in allowed_namespaces");
    }

    private Check parameters() {
        Optional<String> missing = Parameters.resolve(ctx.cfg, crb, Map.of(), params);
        return missing.map(Check::deny).orElseGet(Check::notApplicable);
    }

    /**
     * Asks the store whether the runbook is paused in the same request that takes the dedupe locks, so a pause
     * costs no extra round trip; {@link #dedupe()} then judges the locks of that answer.
     */
    private Check paused() {
        Optional<PauseClaim> pause = AutoPause.claim(rb);
        if (pause.isEmpty()) {
            return Check.notApplicable();
        }
        Reservation r = ctx.leases.reserve(Limits.dedupeLocks(ctx), List.of(), List.of(), List.of(pause.get()));
        if (!r.granted() && r.refusal().orElseThrow() instanceof Refusal.Paused p) {
            return Check.deny(p.reason());
        }
        if (!r.granted() && r.refusal().orElseThrow() instanceof Refusal.StoreFailed f) {
            // the store could not say whether the runbook is paused: it does not run
            return Check.deny(f.reason());
        }
        dedupeLocks = Optional.of(r);
        return Check.allow("runbook " + rb.id() + " is not paused (" + pause.get().description() + ")");
    }

    private Check dedupe() {
        Reservation locks = dedupeLocks.orElseGet(() -> ctx.leases.reserve(Limits.dedupeLocks(ctx), List.of(), List.of()));
        if (!locks.granted()) {
            return Check.deny(locks.denialReason().orElse("locked"));
        }
        String key = ctx.incident.resource().key();
        return Check.allow("no active execution for incident " + ctx.incident.incidentId() + " or resource " + key);
    }

    private Check rateLimit() {
        Limits.Claims claims = Limits.executionLimits(ctx, crb);
        if (claims.isEmpty()) {
            return Check.allow("no rate limit configured");
        }
        Reservation limits = ctx.leases.reserve(List.of(), claims.counters(), claims.spacings());
        if (!limits.granted()) {
            return Check.deny(limits.denialReason().orElse("rate limit reached"));
        }
        return Check.allow("within " + claims.describe());
    }

    private Check dryRun() {
        boolean needed = safety.dryRunFirst() || safety.blastRadiusLimit().isPresent() || safety.requireApproval()
                || ctx.planOnly;
        if (!needed) {
            return Check.notApplicable();
        }
        var dry = new StepRunner(ctx, rb, true, false, StepRunner.variables(ctx, crb, params, true), 0);
        StepRunner.Outcome out = dry.run(crb.steps());
        dryRunSteps = List.copyOf(dry.results);
        planned = touched(dry.results);
        dryRunDone = true;
        if (out.failed()) {
            return Check.deny("dry run failed at step '" + out.failedStep + "': " + out.error);
        }
        return Check.allow("dry run passed: " + dry.results.size() + " step(s), " + planned.size()
                + " resource(s) would be touched");
    }

    private Check blastRadius() {
        if (safety.blastRadiusLimit().isEmpty()) {
            return Check.notApplicable();
        }
        int limit = safety.blastRadiusLimit().getAsInt();
        if (planned.size() > limit) {
            return Check.deny("plan touches " + planned.size() + " resources > blast_radius_limit " + limit + ": "
                    + String.join(", ", planned.stream().map(TouchedResource::key).limit(20).toList()));
        }
        return Check.allow("plan touches " + planned.size() + " resource(s) <= blast_radius_limit " + limit);
    }

    /** Locks every resource the dry run says the plan changes, with its per-resource limits. */
    private Check targets() {
        if (!dryRunDone || planned.isEmpty()) {
            return Check.notApplicable();
        }
        var byAction = new LinkedHashMap<String, List<String>>();
        for (StepResult r : dryRunSteps) {
            for (TouchedResource t : r.touched()) {
                byAction.computeIfAbsent(r.action(), k -> new ArrayList<>()).add(t.key());
            }
        }
        List<String> keys = planned.stream().map(TouchedResource::key).toList();
        Limits.Claims claims = Limits.targetClaims(ctx, rb, keys, byAction);
        if (claims.isEmpty()) {
            // The plan changes only what dedupe already locked.
            return Check.notApplicable();
        }
        Reservation r = ctx.leases.reserve(claims.locks(), claims.counters(), List.of());
        if (!r.granted()) {
            return Check.deny(r.denialReason().orElse("locked"));
        }
        return Check.allow("locked the " + claims.locks().size() + " other resource(s) the plan changes: "
                + String.join(", ", claims.locks().stream().map(l -> l.description().substring("resource ".length()))
                .limit(20).toList()));
    }

    private Check approval() {
        if (!safety.requireApproval()) {
            return Check.notApplicable();
        }
        if (ctx.planOnly) {
            return Check.allow("approval required before execution (not requested by plan)");
        }
        // Journaled before waiting: a host that dies while waiting leaves a record that recovery denies.
        Optional<String> journal = Journaling.start(ctx, crb, params, dryRunSteps);
        if (journal.isPresent()) {
            return Check.deny(journal.get());
        }
        ApprovalDecision d = requestApproval();
        ctx.approval = Optional.of(d);
        if (!d.approved()) {
            return Check.deny("denied by " + d.approver() + ": " + d.reason());
        }
        return Check.allow("approved by " + d.approver() + ": " + d.reason());
    }

    private ApprovalDecision requestApproval() {
        var cfg = ctx.cfg;
        var lines = dryRunSteps.stream().map(s -> s.name() + ": " + s.action() + " " + s.params()).toList();
        var req = new ApprovalRequest(ctx.id, rb.id(), rb.version(), ctx.incident, lines, planned, cfg.clock().instant());
        java.util.concurrent.CompletableFuture<ApprovalDecision> future = null;
        try {
            Optional<ApprovalDecision> auto = cfg.approvalPolicy().decide(req);
            if (auto.isPresent()) {
                return auto.get();
            }
            Listeners.approvalRequested(cfg.listeners(), req);
            future = cfg.approvalGateway().requestApproval(req).toCompletableFuture();
            return future.get(cfg.approvalTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return ApprovalDecision.deny("engine", "no decision within " + human(cfg.approvalTimeout()), cfg.clock().instant());
        } catch (InterruptedException e) {
            ctx.cancelled = true;
            if (future != null) {
                future.cancel(true);
            }
            return ApprovalDecision.deny("engine", "interrupted while waiting for approval", cfg.clock().instant());
        } catch (ExecutionException | RuntimeException e) {
            return ApprovalDecision.deny("engine", "approval gateway failed: " + Messages.rootMessage(e), cfg.clock().instant());
        }
    }

    private static List<TouchedResource> touched(List<StepResult> results) {
        var seen = new LinkedHashMap<String, TouchedResource>();
        for (StepResult r : results) {
            for (TouchedResource t : r.touched()) {
                seen.putIfAbsent(t.key(), t);
            }
        }
        return List.copyOf(seen.values());
    }
}
