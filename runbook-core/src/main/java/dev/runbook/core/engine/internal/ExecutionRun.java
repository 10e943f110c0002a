package dev.runbook.core.engine.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamException;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.compile.CompiledParams;
import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.compile.CompiledStep;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.NotificationResult;
import dev.runbook.core.engine.ParameterResolver;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.StepStatus;
import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.guard.SpacingClaim;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.notify.NotificationMessage;
import dev.runbook.core.notify.Notifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One incident taken through match, guards, dry run, execution, verification, rollback and notification.
 * Used once, on one thread (actions with a timeout run on the engine's executor).
 */
public final class ExecutionRun {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionRun.class);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final EngineConfig cfg;
    private final Incident incident;
    private final boolean planOnly;
    private final String id;
    private volatile boolean cancelled;
    private volatile Thread worker;

    private final List<GuardDecision> decisions = new ArrayList<>();
    private final List<String> actionsTaken = new ArrayList<>();
    private Optional<ApprovalDecision> approval = Optional.empty();

    public ExecutionRun(EngineConfig cfg, Incident incident, boolean planOnly) {
        this.cfg = cfg;
        this.incident = incident;
        this.planOnly = planOnly;
        this.id = cfg.ids().get();
    }

    /** This execution's id. */
    public String id() {
        return id;
    }

    /** The incident handled. */
    public Incident incident() {
        return incident;
    }

    /** Asks the execution to stop: it ends as CANCELLED after rolling back. */
    public void cancel() {
        cancelled = true;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Runs it; never throws for a runbook's failure (that is recorded in the result). */
    public Execution run() {
        worker = Thread.currentThread();
        try {
            Execution e = runInner();
            for (ExecutionListener l : cfg.listeners()) {
                try {
                    l.executionFinished(e);
                } catch (RuntimeException ex) {
                    LOG.warn("execution listener {} failed for execution {}", l.getClass().getName(), e.id(), ex);
                }
            }
            return e;
        } finally {
            worker = null;
            // Clear an interrupt aimed at this execution so it does not leak into the caller's thread.
            if (cancelled) {
                Thread.interrupted();
            }
        }
    }

    private Execution runInner() {
        Instant started = cfg.clock().instant();
        MatchReport match = cfg.matcher().match(incident);
        if (match.best().isEmpty()) {
            // Nothing matched: explain every runbook of the library, not only those indexed under the reason.
            match = cfg.matcher().explainAll(incident);
            LOG.info("incident {}: no runbook matches ({} considered)", incident.incidentId(), match.rejected().size());
            return new Execution(id, "", "", incident.incidentId(), ExecutionStatus.NO_MATCH, match, List.of(),
                    Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of(),
                    Optional.of("no runbook matches incident " + incident.incidentId()), cfg.executedBy(), started,
                    cfg.clock().instant());
        }
        CompiledRunbook rb = cfg.runbooks().get(match.best().get().id());
        return new Flow(rb, match, started).run();
    }

    /** The flow for the chosen runbook. */
    private final class Flow {
        private final CompiledRunbook crb;
        private final Runbook rb;
        private final Safety safety;
        private final MatchReport match;
        private final Instant started;
        private final List<Reservation> reservations = new ArrayList<>();
        private List<StepResult> dryRunSteps = List.of();

        Flow(CompiledRunbook crb, MatchReport match, Instant started) {
            this.crb = crb;
            this.rb = crb.runbook();
            this.safety = rb.safety();
            this.match = match;
            this.started = started;
        }

        Execution run() {
            try {
                return guardedRun();
            } finally {
                if (planOnly) {
                    reservations.forEach(Reservation::cancel);
                } else {
                    reservations.forEach(Reservation::release);
                }
            }
        }

        private Execution guardedRun() {
            String key = incident.resource().key();
            // 1. enabled and kill switch
            Optional<String> kill = cfg.killSwitch().engaged();
            if (kill.isPresent()) {
                return deny("enabled", "kill switch engaged: " + kill.get());
            }
            if (!rb.enabled()) {
                return deny("enabled", "runbook " + rb.id() + " is disabled");
            }
            allow("enabled", "runbook " + rb.id() + " is enabled and the kill switch is off");

            // 2. confidence (trigger and safety both may set it) and namespace
            double min = Math.max(rb.trigger().minConfidence(), safety.minConfidence());
            double conf = incident.rcaConfidence();
            if (conf < min) {
                return deny("confidence", fmt("rca_confidence %.2f < min_confidence %.2f", conf, min));
            }
            allow("confidence", fmt("rca_confidence %.2f >= min_confidence %.2f", conf, min));
            if (!safety.allowedNamespaces().isEmpty()) {
                String ns = incident.resource().namespace();
                if (!safety.allowedNamespaces().contains(ns)) {
                    return deny("namespace", "namespace '" + ns + "' not in allowed_namespaces " + safety.allowedNamespaces());
                }
                allow("namespace", "namespace '" + ns + "' in allowed_namespaces");
            }

            Map<String, Object> params = new LinkedHashMap<>();
            Optional<String> missing = resolveParameters(rb, Map.of(), params);
            if (missing.isPresent()) {
                return deny("parameters", missing.get());
            }

            // 3. dedupe: one active execution per incident and per resource
            Instant now = cfg.clock().instant();
            Reservation locks = cfg.guardStore().tryReserve(new ReservationRequest(id, now, List.of(
                    new LockClaim("incident:" + incident.incidentId(), cfg.lockTtl(), "incident " + incident.incidentId()),
                    new LockClaim("resource:" + key, cfg.lockTtl(), "resource " + key)), List.of(), List.of()));
            if (!locks.granted()) {
                return deny("dedupe", locks.denialReason().orElse("locked"));
            }
            reservations.add(locks);
            allow("dedupe", "no active execution for incident " + incident.incidentId() + " or resource " + key);

            // 4. rate limits and spacing, all granted together or not at all
            var counters = new ArrayList<CounterClaim>();
            var spacings = new ArrayList<SpacingClaim>();
            safety.maxExecutionsPerHour().ifPresent(n -> counters.add(new CounterClaim("runbook:" + rb.id(), HOUR, n, 1,
                    "max_executions_per_hour " + n + " for runbook " + rb.id())));
            safety.maxExecutionsPerResourcePerHour().ifPresent(n -> counters.add(new CounterClaim(
                    "runbook-resource:" + rb.id() + ":" + key, HOUR, n, 1,
                    "max_executions_per_resource_per_hour " + n + " for runbook " + rb.id() + " on " + key)));
            int actionsNeeded = crb.mutatingSteps();
            if (actionsNeeded > 0) {
                safety.maxActionsPerHour().ifPresent(n -> counters.add(new CounterClaim("actions:global", HOUR, n,
                        actionsNeeded, "max_actions_per_hour " + n + " (all runbooks)")));
                cfg.maxActionsPerHour().ifPresent(n -> counters.add(new CounterClaim("actions:global", HOUR, n,
                        actionsNeeded, "engine max_actions_per_hour " + n + " (all runbooks)")));
                Optional<Duration> spacing = safety.minActionSpacing().or(cfg::minActionSpacing);
                spacing.ifPresent(d -> spacings.add(new SpacingClaim("actions:spacing", d, "min_action_spacing " + human(d))));
            }
            safety.maxActionPerResourcePerHour().forEach((action, n) -> {
                long uses = crb.steps().isEmpty() ? 0 : countUses(crb.steps(), action);
                if (uses > 0) {
                    counters.add(new CounterClaim("action-resource:" + action + ":" + key, HOUR, n, (int) uses,
                            "max_action_per_resource_per_hour " + action + " " + n + " on " + key));
                }
            });
            safety.cooldown().ifPresent(d -> spacings.add(new SpacingClaim("cooldown:" + rb.id() + ":" + key, d,
                    "cooldown " + human(d) + " for runbook " + rb.id() + " on " + key)));
            if (!counters.isEmpty() || !spacings.isEmpty()) {
                Reservation limits = cfg.guardStore().tryReserve(new ReservationRequest(id, now, List.of(), counters, spacings));
                if (!limits.granted()) {
                    return deny("rate_limit", limits.denialReason().orElse("rate limit reached"));
                }
                reservations.add(limits);
                allow("rate_limit", "within " + String.join(", ",
                        java.util.stream.Stream.concat(counters.stream().map(CounterClaim::description),
                                spacings.stream().map(SpacingClaim::description)).toList()));
            } else {
                allow("rate_limit", "no rate limit configured");
            }

            // 5. dry run, when asked for or needed to count the blast radius or show an approver the plan
            boolean dryRunNeeded = safety.dryRunFirst() || safety.blastRadiusLimit().isPresent()
                    || safety.requireApproval() || planOnly;
            List<TouchedResource> planned = List.of();
            if (dryRunNeeded) {
                var dryVars = variables(params, true);
                var dry = new Steps(rb, true, dryVars, 0);
                Outcome out = dry.run(crb.steps());
                dryRunSteps = dry.results;
                planned = touched(dry.results);
                if (out.failed()) {
                    return deny("dry_run", "dry run failed at step '" + out.failedStep + "': " + out.error);
                }
                allow("dry_run", "dry run passed: " + dry.results.size() + " step(s), " + planned.size()
                        + " resource(s) would be touched");
            }

            // 6. blast radius
            if (safety.blastRadiusLimit().isPresent()) {
                int limit = safety.blastRadiusLimit().getAsInt();
                if (planned.size() > limit) {
                    return deny("blast_radius", "plan touches " + planned.size() + " resources > blast_radius_limit "
                            + limit + ": " + String.join(", ", planned.stream().map(TouchedResource::key).limit(20).toList()));
                }
                allow("blast_radius", "plan touches " + planned.size() + " resource(s) <= blast_radius_limit " + limit);
            }

            // 7. approval
            if (safety.requireApproval()) {
                if (planOnly) {
                    allow("approval", "approval required before execution (not requested by plan)");
                } else {
                    ApprovalDecision d = requestApproval(planned);
                    approval = Optional.of(d);
                    if (!d.approved()) {
                        return deny("approval", "denied by " + d.approver() + ": " + d.reason());
                    }
                    allow("approval", "approved by " + d.approver() + ": " + d.reason());
                }
            }

            if (planOnly) {
                return finish(ExecutionStatus.PLANNED, List.of(), List.of(), List.of(), Optional.empty());
            }

            // 8. the real execution
            var vars = variables(params, false);
            var real = new Steps(rb, false, vars, 0);
            Outcome out = real.run(crb.steps());
            List<StepResult> rollbackSteps = List.of();
            ExecutionStatus status;
            Optional<String> error = Optional.empty();
            if (!out.failed() && !cancelled) {
                status = ExecutionStatus.SUCCEEDED;
            } else {
                String message = cancelled && !out.failed() ? "execution cancelled" : out.error;
                String failedStep = out.failedStep == null ? "" : out.failedStep;
                error = Optional.of(failedStep.isEmpty() ? message : "step '" + failedStep + "' failed: " + message);
                vars.put("error_message", error.get());
                vars.put("failed_step", failedStep);
                boolean rollback = cancelled || out.policy == OnFailure.ROLLBACK;
                if (rollback && !crb.rollback().isEmpty()) {
                    // A cancellation interrupted this thread; the rollback must still run to completion.
                    Thread.interrupted();
                    var rb2 = new Steps(rb, false, vars, 0);
                    rb2.rollbackMode = true;
                    Outcome r = rb2.run(crb.rollback());
                    rollbackSteps = rb2.results;
                    status = cancelled ? ExecutionStatus.CANCELLED
                            : r.failed() ? ExecutionStatus.ROLLBACK_FAILED : ExecutionStatus.ROLLED_BACK;
                    if (r.failed()) {
                        error = Optional.of(error.get() + "; rollback step '" + r.failedStep + "' failed: " + r.error);
                        vars.put("error_message", error.get());
                    }
                } else {
                    status = cancelled ? ExecutionStatus.CANCELLED : ExecutionStatus.FAILED;
                }
            }
            List<NotificationResult> notes = notify(status == ExecutionStatus.SUCCEEDED, vars);
            return finish(status, real.results, rollbackSteps, notes, error);
        }

        private long countUses(List<CompiledStep> steps, String action) {
            long n = 0;
            for (CompiledStep s : steps) {
                if (s instanceof CompiledStep.Call c) {
                    if (c.action().map(a -> a.name().equals(action) || a.aliases().contains(action)).orElse(false)) {
                        n++;
                    }
                } else if (s instanceof CompiledStep.Branch b) {
                    n += countUses(b.then(), action) + countUses(b.otherwise(), action);
                }
            }
            return n;
        }

        private ApprovalDecision requestApproval(List<TouchedResource> planned) {
            var lines = dryRunSteps.stream().map(s -> s.name() + ": " + s.action() + " " + s.params()).toList();
            var req = new ApprovalRequest(id, rb.id(), rb.version(), incident, lines, planned, cfg.clock().instant());
            Optional<ApprovalDecision> auto = cfg.approvalPolicy().decide(req);
            if (auto.isPresent()) {
                return auto.get();
            }
            var future = cfg.approvalGateway().requestApproval(req).toCompletableFuture();
            try {
                return future.get(cfg.approvalTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                return ApprovalDecision.deny("engine", "no decision within " + human(cfg.approvalTimeout()), cfg.clock().instant());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.cancel(true);
                return ApprovalDecision.deny("engine", "interrupted while waiting for approval", cfg.clock().instant());
            } catch (ExecutionException | CancellationException e) {
                return ApprovalDecision.deny("engine", "approval gateway failed: " + rootMessage(e), cfg.clock().instant());
            }
        }

        private Execution deny(String guard, String reason) {
            decisions.add(GuardDecision.deny(guard, reason));
            LOG.info("execution {} of runbook {} for incident {} denied by {}: {}", id, rb.id(), incident.incidentId(),
                    guard, reason);
            // A denied execution did not happen: give back what it counted.
            reservations.forEach(Reservation::cancel);
            reservations.clear();
            return finish(ExecutionStatus.DENIED, List.of(), List.of(), List.of(), Optional.of(guard + ": " + reason));
        }

        private void allow(String guard, String reason) {
            decisions.add(GuardDecision.allow(guard, reason));
        }

        private Execution finish(ExecutionStatus status, List<StepResult> steps, List<StepResult> rollback,
                                 List<NotificationResult> notes, Optional<String> error) {
            return new Execution(id, rb.id(), rb.version(), incident.incidentId(), status, match, decisions, approval,
                    dryRunSteps, steps, rollback, actionsTaken, notes, error, cfg.executedBy(), started,
                    cfg.clock().instant());
        }

        private Variables variables(Map<String, Object> params, boolean dryRun) {
            var vars = new Variables();
            for (String out : crb.outputVars()) {
                vars.put(out, null);
            }
            params.forEach(vars::put);
            vars.put("incident", incident.toMap());
            var exec = new LinkedHashMap<String, Object>();
            exec.put("id", id);
            exec.put("runbook_id", rb.id());
            exec.put("runbook_version", rb.version());
            exec.put("dry_run", dryRun);
            vars.put("execution", Collections.unmodifiableMap(exec));
            return vars;
        }

        private List<NotificationResult> notify(boolean success, Variables vars) {
            var list = success ? crb.onSuccess() : crb.onFailure();
            var out = new ArrayList<NotificationResult>();
            for (CompiledRunbook.CompiledNotification n : list) {
                String channel = n.notification().channel();
                Map<String, Object> rendered;
                try {
                    rendered = n.params().render(vars.view());
                } catch (RuntimeException e) {
                    out.add(new NotificationResult(channel, "", false, Optional.of("could not render: " + e.getMessage())));
                    continue;
                }
                Object m = rendered.get("message");
                String message = m == null ? "" : m.toString();
                Notifier notifier = cfg.notifiers().get(channel);
                if (notifier == null) {
                    String why = "no notifier for channel '" + channel + "'; register one with RunbookEngine.builder().notifier(...)";
                    LOG.warn("execution {}: {}", id, why);
                    out.add(new NotificationResult(channel, message, false, Optional.of(why)));
                    continue;
                }
                try {
                    notifier.send(new NotificationMessage(channel, withoutNulls(rendered), success, id, rb.id(),
                            incident.incidentId()));
                    out.add(new NotificationResult(channel, message, true, Optional.empty()));
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    LOG.warn("execution {}: notification to {} failed", id, channel, e);
                    out.add(new NotificationResult(channel, message, false, Optional.of(rootMessage(e))));
                }
            }
            return out;
        }
    }

    /** The result of running a sequence of steps. */
    private static final class Outcome {
        String failedStep;
        String error;
        OnFailure policy;

        boolean failed() {
            return error != null;
        }
    }

    /** Runs sequences of steps in one mode (dry or real) over one variable map. */
    private final class Steps {
        private final boolean dryRun;
        private final Variables vars;
        private final int depth;
        final List<StepResult> results = new ArrayList<>();
        boolean rollbackMode;
        private final Runbook runbook;
        private final String runbookId;

        Steps(Runbook runbook, boolean dryRun, Variables vars, int depth) {
            this.runbook = runbook;
            this.runbookId = runbook.id();
            this.dryRun = dryRun;
            this.vars = vars;
            this.depth = depth;
        }

        Outcome run(List<CompiledStep> steps) {
            return run(steps, runbook);
        }

        private Outcome run(List<CompiledStep> steps, Runbook rb) {
            var outcome = new Outcome();
            for (CompiledStep step : steps) {
                if (cancelled && !rollbackMode) {
                    outcome.failedStep = step.step().name();
                    outcome.error = "execution cancelled";
                    outcome.policy = OnFailure.ROLLBACK;
                    return outcome;
                }
                Instant start = cfg.clock().instant();
                if (step.when().isPresent()) {
                    boolean go;
                    try {
                        go = step.when().get().test(vars.view());
                    } catch (RuntimeException e) {
                        record(skippedOrFailed(step, start, StepStatus.FAILED, "when '" + step.when().get().source()
                                + "' could not be evaluated: " + e.getMessage()));
                        if (fail(outcome, step, "when could not be evaluated: " + e.getMessage())) {
                            return outcome;
                        }
                        continue;
                    }
                    if (!go) {
                        record(skippedOrFailed(step, start, StepStatus.SKIPPED, ""));
                        continue;
                    }
                }
                if (step instanceof CompiledStep.Branch b) {
                    boolean cond;
                    try {
                        cond = b.condition().test(vars.view());
                    } catch (RuntimeException e) {
                        record(skippedOrFailed(step, start, StepStatus.FAILED, e.getMessage()));
                        if (fail(outcome, step, "if '" + b.condition().source() + "' could not be evaluated: " + e.getMessage())) {
                            return outcome;
                        }
                        continue;
                    }
                    record(new StepResult(b.step().name(), "branch", StepStatus.SUCCEEDED, dryRun, Map.of(),
                            Optional.of(cond ? "then" : "else"), Optional.empty(), 1, List.of(), "", start, cfg.clock().instant()));
                    Outcome inner = run(cond ? b.then() : b.otherwise(), rb);
                    if (inner.failed()) {
                        return inner;
                    }
                    continue;
                }
                CompiledStep.Call call = (CompiledStep.Call) step;
                StepResult r = call(call, rb, start);
                record(r);
                if (r.status() == StepStatus.FAILED) {
                    if (fail(outcome, step, r.error().orElse("failed"))) {
                        return outcome;
                    }
                }
            }
            return outcome;
        }

        /** Records a failure; true when the sequence must stop. */
        private boolean fail(Outcome outcome, CompiledStep step, String error) {
            OnFailure policy = step.step().onFailure();
            if (policy == OnFailure.CONTINUE) {
                LOG.info("execution {}: step '{}' failed, continuing: {}", id, step.step().name(), error);
                return false;
            }
            outcome.failedStep = step.step().name();
            outcome.error = error;
            outcome.policy = policy;
            return true;
        }

        private StepResult skippedOrFailed(CompiledStep step, Instant start, StepStatus status, String error) {
            String action = step instanceof CompiledStep.Call c ? c.step().action() : "branch";
            if (step instanceof CompiledStep.Call c && status == StepStatus.SKIPPED) {
                c.step().outputVar().ifPresent(v -> vars.put(v, null));
            }
            return new StepResult(step.step().name(), action, status, dryRun, Map.of(), Optional.empty(),
                    error.isEmpty() ? Optional.empty() : Optional.of(error), 0, List.of(), "", start, cfg.clock().instant());
        }

        private void record(StepResult r) {
            results.add(r);
            String rid = runbookId;
            for (ExecutionListener l : cfg.listeners()) {
                try {
                    l.stepFinished(id, rid, r);
                } catch (RuntimeException e) {
                    LOG.warn("execution listener {} failed on step {}", l.getClass().getName(), r.name(), e);
                }
            }
        }

        private StepResult call(CompiledStep.Call call, Runbook rb, Instant start) {
            ActionStep s = call.step();
            Map<String, Object> rendered;
            Map<String, Object> recorded;
            try {
                rendered = call.params().render(vars.view());
                recorded = call.params().readsSecrets() ? call.params().renderMasked(vars.view()) : rendered;
            } catch (RuntimeException e) {
                return failed(s, Map.of(), "could not render params: " + e.getMessage(), 0, start);
            }
            if (call.isChain()) {
                return chain(call, rendered, recorded, start);
            }
            Action action = call.action().get();
            Map<String, Object> params;
            try {
                params = action.schema().apply(withoutNulls(rendered));
            } catch (ParamException e) {
                return failed(s, recorded, "invalid params: " + e.getMessage(), 0, start);
            }
            if (dryRun && action.mutating() && !action.supportsDryRun()) {
                return new StepResult(s.name(), s.action(), StepStatus.NOT_RUN_IN_DRY_RUN, true, recorded, Optional.empty(),
                        Optional.empty(), 0, List.of(), "would call " + s.action(), start, cfg.clock().instant());
            }
            int attempts = 0;
            String error = null;
            String dryRunNote = null;
            ActionResult result = null;
            int max = s.retry().maxAttempts();
            while (attempts < max) {
                attempts++;
                if (attempts > 1) {
                    try {
                        cfg.sleeper().sleep(s.retry().backoffBefore(attempts));
                    } catch (InterruptedException e) {
                        error = "interrupted while waiting to retry";
                        break;
                    }
                }
                if (cancelled && !rollbackMode) {
                    error = "execution cancelled";
                    break;
                }
                boolean retryable;
                try {
                    result = invoke(action, s, params, rb);
                    Optional<String> expectFailure = checkExpect(call, result);
                    if (expectFailure.isEmpty()) {
                        error = null;
                        break;
                    }
                    if (dryRun) {
                        // A verification describes the state after the change; before it, it may not hold yet.
                        dryRunNote = expectFailure.get() + " before the change; checked again in the real run";
                        error = null;
                        break;
                    }
                    error = expectFailure.get();
                    retryable = true;
                } catch (ActionException e) {
                    error = e.getMessage();
                    retryable = e.retryable();
                } catch (TimeoutException e) {
                    error = "timed out after " + human(s.timeout().orElse(cfg.defaultStepTimeout()));
                    retryable = true;
                } catch (InterruptedException e) {
                    error = cancelled ? "execution cancelled" : "interrupted";
                    retryable = false;
                } catch (Exception e) {
                    error = rootMessage(e);
                    retryable = !(e instanceof IllegalArgumentException);
                }
                result = null;
                LOG.debug("execution {}: step '{}' attempt {}/{} failed: {}", id, s.name(), attempts, max, error);
                if (!retryable) {
                    break;
                }
            }
            if (error != null) {
                return failed(s, recorded, error, attempts, start);
            }
            Object output = result.output().orElse(null);
            s.outputVar().ifPresent(v -> vars.put(v, output));
            if (!dryRun && action.mutating() && !rollbackMode) {
                actionsTaken.add(result.summary().isEmpty() ? s.name() : result.summary());
            } else if (!dryRun && action.mutating() && rollbackMode) {
                actionsTaken.add("rollback: " + (result.summary().isEmpty() ? s.name() : result.summary()));
            }
            String summary = dryRunNote == null ? result.summary()
                    : result.summary().isEmpty() ? dryRunNote : result.summary() + "; " + dryRunNote;
            return new StepResult(s.name(), s.action(), StepStatus.SUCCEEDED, dryRun, recorded, result.output(),
                    Optional.empty(), attempts, result.touched(), summary, start, cfg.clock().instant());
        }

        private ActionResult invoke(Action action, ActionStep s, Map<String, Object> params, Runbook rb) throws Exception {
            Map<String, Object> snapshot = vars.view();
            Logger logger = LoggerFactory.getLogger("dev.runbook.action." + action.name());
            if (s.timeout().isEmpty()) {
                // No explicit timeout: run on this thread; the default deadline asks the action to stop.
                var ctx = new EngineActionContext(id, rb, s.name(), incident, params, snapshot, dryRun, cfg.clock(),
                        logger, Optional.of(cfg.clock().instant().plus(cfg.defaultStepTimeout())), () -> cancelled && !rollbackMode,
                        cfg.sleeper());
                return nonNull(action.execute(ctx), action);
            }
            Duration timeout = s.timeout().get();
            var ctx = new EngineActionContext(id, rb, s.name(), incident, params, snapshot, dryRun, cfg.clock(), logger,
                    Optional.of(cfg.clock().instant().plus(timeout)), () -> cancelled && !rollbackMode, cfg.sleeper());
            Future<ActionResult> f = cfg.executor().submit(() -> action.execute(ctx));
            try {
                return nonNull(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS), action);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                throw new IllegalStateException(cause);
            } finally {
                f.cancel(true);
            }
        }

        private ActionResult nonNull(ActionResult r, Action a) {
            if (r == null) {
                throw new IllegalStateException("action " + a.name() + " returned null instead of an ActionResult");
            }
            return r;
        }

        private Optional<String> checkExpect(CompiledStep.Call call, ActionResult result) {
            if (call.expect().isEmpty()) {
                return Optional.empty();
            }
            CompiledExpression expect = call.expect().get();
            Object output = result.output().orElse(null);
            var ev = new HashMap<String, Object>(vars.view());
            if (output instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    String name = String.valueOf(k);
                    if (IDENT.matcher(name).matches() && !ev.containsKey(name)) {
                        ev.put(name, v);
                    } else if (IDENT.matcher(name).matches() && ev.get(name) == null) {
                        ev.put(name, v);
                    }
                });
            }
            ev.put("result", output);
            try {
                if (expect.test(ev)) {
                    return Optional.empty();
                }
                String detail = output instanceof Map<?, ?> m ? " (result: " + m + ")" : " (result: " + output + ")";
                return Optional.of("expect '" + expect.source() + "' was false" + detail);
            } catch (RuntimeException e) {
                return Optional.of("expect '" + expect.source() + "' could not be evaluated: " + e.getMessage());
            }
        }

        private StepResult chain(CompiledStep.Call call, Map<String, Object> rendered, Map<String, Object> recorded,
                                 Instant start) {
            ActionStep s = call.step();
            String target = String.valueOf(rendered.get("runbook"));
            CompiledRunbook child = cfg.runbooks().get(target);
            if (child == null) {
                return failed(s, recorded, "run_runbook: unknown runbook '" + target + "'", 1, start);
            }
            if (depth + 1 > cfg.maxChainDepth()) {
                return failed(s, recorded, "run_runbook: chaining deeper than " + cfg.maxChainDepth() + " runbooks", 1, start);
            }
            Map<String, Object> given = new HashMap<>();
            if (rendered.get("params") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> given.put(String.valueOf(k), v));
            }
            var childParams = new LinkedHashMap<String, Object>();
            Optional<String> missing = resolveParameters(child.runbook(), given, childParams);
            if (missing.isPresent()) {
                return failed(s, recorded, "run_runbook " + target + ": " + missing.get(), 1, start);
            }
            var childVars = new Variables();
            for (String out : child.outputVars()) {
                childVars.put(out, null);
            }
            childParams.forEach(childVars::put);
            childVars.put("incident", vars.get("incident"));
            var exec = new LinkedHashMap<String, Object>();
            exec.put("id", id);
            exec.put("runbook_id", target);
            exec.put("runbook_version", child.runbook().version());
            exec.put("dry_run", dryRun);
            childVars.put("execution", Collections.unmodifiableMap(exec));
            var sub = new Steps(child.runbook(), dryRun, childVars, depth + 1);
            sub.rollbackMode = rollbackMode;
            Outcome out = sub.run(child.steps());
            var touched = new ArrayList<TouchedResource>();
            for (StepResult r : sub.results) {
                touched.addAll(r.touched());
                results.add(new StepResult(target + "/" + r.name(), r.action(), r.status(), r.dryRun(), r.params(),
                        r.output(), r.error(), r.attempts(), r.touched(), r.summary(), r.startedAt(), r.finishedAt()));
            }
            if (out.failed()) {
                String error = "chained runbook " + target + " failed at step '" + out.failedStep + "': " + out.error;
                if (!dryRun && out.policy == OnFailure.ROLLBACK && !child.rollback().isEmpty()) {
                    childVars.put("error_message", error);
                    childVars.put("failed_step", out.failedStep);
                    var rbSteps = new Steps(child.runbook(), false, childVars, depth + 1);
                    rbSteps.rollbackMode = true;
                    Outcome r = rbSteps.run(child.rollback());
                    rbSteps.results.forEach(x -> results.add(new StepResult(target + "/rollback/" + x.name(), x.action(),
                            x.status(), x.dryRun(), x.params(), x.output(), x.error(), x.attempts(), x.touched(),
                            x.summary(), x.startedAt(), x.finishedAt())));
                    error += r.failed() ? "; its rollback failed at '" + r.failedStep + "': " + r.error : "; it was rolled back";
                }
                return failed(s, recorded, error, 1, start);
            }
            var output = new LinkedHashMap<String, Object>();
            for (String v : child.outputVars()) {
                output.put(v, childVars.get(v));
            }
            Map<String, Object> outMap = Collections.unmodifiableMap(output);
            s.outputVar().ifPresent(v -> vars.put(v, outMap));
            return new StepResult(s.name(), s.action(), StepStatus.SUCCEEDED, dryRun, recorded, Optional.of(outMap),
                    Optional.empty(), 1, touched, "ran runbook " + target, start, cfg.clock().instant());
        }

        private StepResult failed(ActionStep s, Map<String, Object> recorded, String error, int attempts, Instant start) {
            LOG.info("execution {}: step '{}' ({}{}) failed: {}", id, s.name(), s.action(), dryRun ? ", dry run" : "", error);
            return new StepResult(s.name(), s.action(), StepStatus.FAILED, dryRun, recorded, Optional.empty(),
                    Optional.of(error), attempts, List.of(), "", start, cfg.clock().instant());
        }
    }

    /** Fills {@code out} with the runbook's parameters; a message when a required one has no value. */
    private Optional<String> resolveParameters(Runbook rb, Map<String, Object> given, Map<String, Object> out) {
        var missing = new ArrayList<String>();
        for (Parameter p : rb.parameters()) {
            Optional<Object> v = Optional.ofNullable(given.get(p.name()));
            for (ParameterResolver r : cfg.parameterResolvers()) {
                if (v.isPresent()) {
                    break;
                }
                v = r.resolve(rb.id(), p.name());
            }
            if (v.isEmpty() && p.defaultValue().isPresent()) {
                v = Optional.ofNullable(p.defaultValue().get().toPlain());
            }
            if (v.isEmpty() && p.required()) {
                missing.add(p.name());
            }
            out.put(p.name(), v.orElse(null));
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("runbook " + rb.id() + " needs a value for parameter(s) " + missing
                + "; supply them with RunbookEngine.builder().parameter(name, value) or a ParameterResolver");
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

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        var out = new LinkedHashMap<String, Object>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + "m";
        }
        if (s >= 1 && d.toMillisPart() == 0) {
            return s + "s";
        }
        return d.toMillis() + "ms";
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
