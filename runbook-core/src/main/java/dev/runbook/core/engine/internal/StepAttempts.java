package dev.runbook.core.engine.internal;

import static dev.runbook.core.internal.Durations.human;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.retry.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts of one action step. Each attempt runs on an engine-owned thread under the step's timeout (the
 * engine's default when the step has none); an action that only works in memory runs on the execution's thread. A timed-out or cancelled attempt is interrupted and given a grace
 * period; one that still runs is abandoned: no further attempt starts, and the caller must not roll back while
 * it lives. Every real attempt of a mutating action is a change: retries are counted against the rate limits
 * and each attempt is recorded in {@code actions_taken}.
 */
final class StepAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(StepAttempts.class);

    /**
     * A finished step.
     *
     * @param result    its result
     * @param abandoned whether an attempt was abandoned while still running
     */
    record Ended(StepResult result, boolean abandoned) {
        static Ended of(StepResult r) {
            return new Ended(r, false);
        }
    }

    private final RunContext ctx;
    private final EngineConfig cfg;
    private final Runbook runbook;
    private final ActionStep step;
    private final Action action;
    private final Map<String, Object> params;
    private final Variables vars;
    private final boolean dryRun;
    private final boolean rollbackMode;
    private final Function<ActionResult, Optional<String>> expect;
    private final Map<String, Object> fixedAtFirst;

    StepAttempts(RunContext ctx, Runbook runbook, ActionStep step, Action action, Map<String, Object> params,
                 Variables vars, boolean dryRun, boolean rollbackMode, Function<ActionResult, Optional<String>> expect) {
        this.ctx = ctx;
        this.cfg = ctx.cfg;
        this.runbook = runbook;
        this.step = step;
        this.action = action;
        this.params = params;
        this.vars = vars;
        this.dryRun = dryRun;
        this.rollbackMode = rollbackMode;
        this.expect = expect;
        this.fixedAtFirst = ctx.fixedAtFirst != null ? ctx.fixedAtFirst : new ConcurrentHashMap<>();
    }

    Ended run(StepResult.Start start) {
        boolean change = !dryRun && action.mutating();
        int max = step.retry().maxAttempts();
        if (max > 1 && !action.retrySafe()) {
            LOG.warn("execution {}: step '{}' asks for {} attempts but {} is not safe to retry; making one", ctx.id,
                    step.name(), max, action.name());
            max = 1;
        }
        if (change && !rollbackMode) {
            Optional<String> refused = lockDeclaredTargets();
            if (refused.isPresent()) {
                return Ended.of(StepResult.failed(start, refused.get(), 0, cfg.clock().instant()));
            }
        }
        Duration timeout = step.timeout().orElse(cfg.defaultStepTimeout());
        // A backend's call of one attempt makes only that one; its caller waited the backoff before it.
        int first = ctx.onlyAttempt > 0 ? ctx.onlyAttempt : 1;
        int last = ctx.onlyAttempt > 0 ? Math.min(ctx.onlyAttempt, max) : max;
        int attempts = first - 1;
        boolean mayRetry = false;
        if (first > max) {
            return Ended.of(StepResult.failed(start, "no attempt " + first + ": the step makes " + max, max,
                    cfg.clock().instant()));
        }
        String error = null;
        String dryRunNote = null;
        ActionResult result = null;
        boolean abandoned = false;
        Optional<Duration> serverHint = Optional.empty();
        // Jitter seeded per execution and step: reproducible for one run, spread across runs.
        var jitter = Backoff.seeded(ctx.id + "/" + step.name());
        for (int skipped = 2; skipped <= first; skipped++) {
            // draw what the waits before this attempt drew in-process, so the next wait is the one it would be
            step.retry().backoff().delayBefore(skipped, Optional.empty(), jitter);
        }
        while (attempts < last) {
            attempts++;
            mayRetry = false;
            if (attempts > first) {
                try {
                    cfg.sleeper().sleep(step.retry().backoff().delayBefore(attempts, serverHint, jitter));
                } catch (InterruptedException e) {
                    error = "interrupted while waiting to retry";
                    break;
                }
            }
            if (ctx.cancelled && !rollbackMode) {
                error = "execution cancelled";
                break;
            }
            if (change && !rollbackMode && ctx.leases.lost().isPresent()) {
                // Another execution may own the resource now: no change without the lock.
                error = ctx.leases.lost().get();
                break;
            }
            if (change && !rollbackMode && attempts > 1) {
                Optional<String> refused = countRetry(attempts);
                if (refused.isPresent()) {
                    error = refused.get();
                    break;
                }
            }
            if (change) {
                Optional<String> unjournaled = Journaling.intent(ctx, step.name(), action.name(), attempts, rollbackMode,
                        start.params());
                if (unjournaled.isPresent()) {
                    error = unjournaled.get();
                    break;
                }
            }
            Try t = attempt(attempts, timeout);
            serverHint = t.retryAfter;
            if (t.abandoned) {
                error = t.error;
                abandoned = true;
                recordChange(change, attempts, null, error);
                break;
            }
            if (t.error == null) {
                Optional<String> expectFailure = expect.apply(t.result);
                if (expectFailure.isEmpty()) {
                    result = t.result;
                    error = null;
                    recordChange(change, attempts, result, null);
                    break;
                }
                if (dryRun) {
                    // A verification describes the state after the change; before it, it may not hold yet.
                    dryRunNote = expectFailure.get() + " before the change; checked again in the real run";
                    result = t.result;
                    error = null;
                    break;
                }
                error = expectFailure.get();
                recordChange(change, attempts, t.result, error);
            } else {
                error = t.error;
                recordChange(change, attempts, null, error);
                if (!t.retryable) {
                    break;
                }
            }
            mayRetry = true;
            LOG.debug("execution {}: step '{}' attempt {}/{} failed: {}", ctx.id, step.name(), attempts, max, error);
        }
        if (error != null && mayRetry && ctx.onlyAttempt > 0 && attempts < max) {
            ctx.retryAfter = Optional.of(step.retry().backoff().delayBefore(attempts + 1, serverHint, jitter));
        }
        if (error != null) {
            return new Ended(StepResult.failed(start, error, attempts, cfg.clock().instant()), abandoned);
        }
        String summary = dryRunNote == null ? result.summary()
                : result.summary().isEmpty() ? dryRunNote : result.summary() + "; " + dryRunNote;
        return Ended.of(StepResult.succeeded(start, result.output(), attempts, result.touched(), summary,
                cfg.clock().instant()));
    }

    /** One attempt's outcome. */
    private static final class Try {
        ActionResult result;
        String error;
        boolean retryable;
        boolean abandoned;
        Optional<Duration> retryAfter = Optional.empty();
    }

    private Try attempt(int number, Duration timeout) {
        var t = new Try();
        var actx = new EngineActionContext(ctx.id, runbook, step.name(), ctx.incident, params, vars.view(), dryRun,
                cfg.clock(), org.slf4j.LoggerFactory.getLogger("dev.runbook.action." + action.name()),
                Optional.of(cfg.clock().instant().plus(timeout)), () -> ctx.cancelled && !rollbackMode, cfg.sleeper(),
                number, fixedAtFirst);
        AttemptHandle h = action.inMemory() ? AttemptHandle.runHere(step.name(), number, () -> action.execute(actx))
                : AttemptHandle.start(ctx.lane, step.name(), number, () -> action.execute(actx));
        boolean ended;
        boolean cancelledWhileWaiting = false;
        if (rollbackMode) {
            // The rollback runs to its end: nothing but its own timeout stops it.
            ended = h.awaitIgnoringInterrupts(timeout);
        } else {
            try {
                ended = h.await(timeout);
            } catch (InterruptedException e) {
                // Only a cancellation (or the host interrupting its own thread, treated alike) gets here.
                ctx.cancelled = true;
                cancelledWhileWaiting = true;
                ended = false;
            }
        }
        if (!ended) {
            h.interrupt();
            String why = cancelledWhileWaiting ? "was cancelled" : "timed out after " + human(timeout);
            if (!h.awaitIgnoringInterrupts(cfg.attemptGrace())) {
                ctx.abandoned.add(h);
                t.abandoned = true;
                t.error = h.describe() + " " + why + " and did not stop within " + human(cfg.attemptGrace())
                        + " of its interrupt: abandoned, it may still be changing things";
                LOG.error("execution {}: {}", ctx.id, t.error);
                return t;
            }
            t.error = cancelledWhileWaiting ? "execution cancelled" : "timed out after " + human(timeout);
            t.retryable = !cancelledWhileWaiting;
            return t;
        }
        Optional<Throwable> failure = h.failure();
        if (failure.isEmpty()) {
            ActionResult r = h.result().orElse(null);
            if (r == null) {
                t.error = "action " + action.name() + " returned null instead of an ActionResult";
                t.retryable = false;
            } else {
                t.result = r;
            }
            return t;
        }
        Throwable e = failure.get();
        if (e instanceof ActionException ae) {
            t.error = ae.getMessage();
            t.retryable = ae.retryable();
            t.retryAfter = ae.retryAfter();
        } else if (e instanceof InterruptedException) {
            t.error = ctx.cancelled ? "execution cancelled" : "interrupted";
            t.retryable = false;
        } else if (e instanceof Exception ex) {
            t.error = Messages.rootMessage(ex);
            t.retryable = !(ex instanceof IllegalArgumentException);
        } else {
            t.error = action.name() + " failed with " + e;
            t.retryable = false;
        }
        return t;
    }

    /** One line in {@code actions_taken} per real attempt of a mutating action. */
    private void recordChange(boolean change, int attempt, ActionResult result, String error) {
        if (!change) {
            return;
        }
        String prefix = rollbackMode ? "rollback: " : "";
        String suffix = attempt > 1 ? " (attempt " + attempt + ")" : "";
        if (error == null) {
            ctx.actionsTaken.add(prefix + (result.summary().isEmpty() ? step.name() : result.summary()) + suffix);
        } else {
            ctx.actionsTaken.add(prefix + "step '" + step.name() + "' attempt " + attempt
                    + " failed and may have changed something: " + error);
        }
    }

    /** Locks what the action declares it will change, when no dry run locked it already. */
    private Optional<String> lockDeclaredTargets() {
        if (ctx.leases.lost().isPresent()) {
            return ctx.leases.lost();
        }
        List<TouchedResource> declared;
        try {
            declared = action.declaredTargets(params, ctx.incident);
        } catch (RuntimeException e) {
            return Optional.of(action.name() + " could not name the resources it changes: " + Messages.rootMessage(e));
        }
        var claims = Limits.targetClaims(ctx, runbook, declared.stream().map(TouchedResource::key).toList(),
                Map.of(action.name(), declared.stream().map(TouchedResource::key).toList()));
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        Reservation r = ctx.leases.reserve(claims.locks(), claims.counters(), List.of());
        return r.granted() ? Optional.empty()
                : Optional.of("targets: " + r.denialReason().orElse("refused"));
    }

    /** A retry of a mutating action is another change: it must fit the action limits too. */
    private Optional<String> countRetry(int attempt) {
        var counters = Limits.actionCounters(ctx, runbook, action, 1);
        if (counters.isEmpty()) {
            return Optional.empty();
        }
        Reservation r = ctx.leases.reserve(List.of(), counters, List.of());
        return r.granted() ? Optional.empty()
                : Optional.of("attempt " + attempt + " refused by rate_limit: " + r.denialReason().orElse("refused"));
    }
}
