package dev.runbook.core.engine.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ParamException;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.compile.CompiledParams;
import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.compile.CompiledStep;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.StepStatus;
import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.expression.MissingValueException;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Runbook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sequences of steps in one mode (dry run, real run or rollback) over one variable map: {@code when},
 * branches, chained runbooks and action calls, whose attempts {@link StepAttempts} runs.
 */
final class StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** How a sequence ended: the step that stopped it, why, and its on_failure policy. */
    static final class Outcome {
        String failedStep;
        String error;
        OnFailure policy;

        boolean failed() {
            return error != null;
        }
    }

    private final RunContext ctx;
    private final Runbook runbook;
    private final boolean dryRun;
    private final boolean rollbackMode;
    private final Variables vars;
    private final int depth;
    final List<StepResult> results = new ArrayList<>();
    /**
     * Output variables of steps a dry run did not run, or ran as a preview (mutating actions): their values are unknown,
     * not missing, so they may be empty in the dry run. The real run is strict.
     */
    private final java.util.Set<String> notRunOutputs = new java.util.HashSet<>();

    StepRunner(RunContext ctx, Runbook runbook, boolean dryRun, boolean rollbackMode, Variables vars, int depth) {
        this.ctx = ctx;
        this.runbook = runbook;
        this.dryRun = dryRun;
        this.rollbackMode = rollbackMode;
        this.vars = vars;
        this.depth = depth;
    }

    /** The variables of a run of {@code crb}: its output vars, parameters, incident and execution. */
    static Variables variables(RunContext ctx, CompiledRunbook crb, Map<String, Object> params, boolean dryRun) {
        var vars = new Variables();
        for (String out : crb.outputVars()) {
            vars.put(out, null);
        }
        params.forEach(vars::put);
        vars.put("incident", ctx.incidentVariable());
        vars.put("execution", executionVar(ctx.id, crb.runbook(), dryRun));
        return vars;
    }

    static Map<String, Object> executionVar(String id, Runbook rb, boolean dryRun) {
        var exec = new LinkedHashMap<String, Object>();
        exec.put("id", id);
        exec.put("runbook_id", rb.id());
        exec.put("runbook_version", rb.version());
        exec.put("dry_run", dryRun);
        return Collections.unmodifiableMap(exec);
    }

    Outcome run(List<CompiledStep> steps) {
        var outcome = new Outcome();
        for (CompiledStep step : steps) {
            if (ctx.cancelled && !rollbackMode) {
                return stop(outcome, step.step().name(), "execution cancelled", OnFailure.ROLLBACK);
            }
            Instant start = ctx.cfg.clock().instant();
            String action = step.step() instanceof ActionStep a ? a.action() : "branch";
            var begun = new StepResult.Start(step.step().name(), action, dryRun, Map.of(), start);
            if (ctx.onlyAttempt <= 1) { // a backend's later attempt continues a step the listeners saw start
                Listeners.stepStarted(ctx.cfg.listeners(), ctx.id, runbook.id(), begun);
            }
            if (step.when().isPresent()) {
                boolean go;
                try {
                    go = step.when().get().test(vars.view());
                } catch (RuntimeException e) {
                    String why = "when '" + step.when().get().source() + "' could not be evaluated: " + e.getMessage();
                    record(StepResult.failed(begun, why, 0, ctx.cfg.clock().instant()));
                    if (fail(outcome, step, why)) {
                        return outcome;
                    }
                    continue;
                }
                if (!go) {
                    if (step.step() instanceof ActionStep a) {
                        a.outputVar().ifPresent(v -> vars.put(v, null));
                    }
                    record(StepResult.skipped(begun, ctx.cfg.clock().instant()));
                    continue;
                }
            }
            if (step instanceof CompiledStep.Branch b) {
                boolean cond;
                try {
                    cond = b.condition().test(vars.view());
                } catch (RuntimeException e) {
                    record(StepResult.failed(begun, e.getMessage(), 0, ctx.cfg.clock().instant()));
                    if (fail(outcome, step, "if '" + b.condition().source() + "' could not be evaluated: " + e.getMessage())) {
                        return outcome;
                    }
                    continue;
                }
                record(StepResult.succeeded(begun, Optional.of(cond ? "then" : "else"), 1, List.of(), "",
                        ctx.cfg.clock().instant()));
                Outcome inner = run(cond ? b.then() : b.otherwise());
                if (inner.failed()) {
                    return inner;
                }
                continue;
            }
            StepAttempts.Ended ended = step instanceof CompiledStep.Chain chain
                    ? chain(chain, begun) : call((CompiledStep.Call) step, begun);
            record(ended.result());
            if (ended.result().status() == StepStatus.FAILED) {
                if (ended.abandoned()) {
                    // A live attempt may still write: nothing else of this sequence may run, whatever on_failure says.
                    OnFailure p = step.step().onFailure() == OnFailure.CONTINUE ? OnFailure.ROLLBACK : step.step().onFailure();
                    return stop(outcome, step.step().name(), ended.result().error().orElse("abandoned"), p);
                }
                if (fail(outcome, step, ended.result().error().orElse("failed"))) {
                    return outcome;
                }
            }
        }
        return outcome;
    }

    private static Outcome stop(Outcome o, String step, String error, OnFailure policy) {
        o.failedStep = step;
        o.error = error;
        o.policy = policy;
        return o;
    }

    /** Records a failure; true when the sequence must stop. */
    private boolean fail(Outcome outcome, CompiledStep step, String error) {
        OnFailure policy = step.step().onFailure();
        if (policy == OnFailure.CONTINUE) {
            LOG.info("execution {}: step '{}' failed, continuing: {}", ctx.id, step.step().name(), error);
            return false;
        }
        stop(outcome, step.step().name(), error, policy);
        return true;
    }

    private void record(StepResult r) {
        results.add(r);
        if (ctx.retryAfter.isPresent()) {
            return; // a backend makes another attempt of this step: its end is not known yet
        }
        CompiledRunbook compiled = ctx.cfg.runbooks().get(runbook.id());
        Journaling.step(ctx, r, rollbackMode, vars.view(), compiled == null ? java.util.Set.of() : compiled.secretNames());
        Listeners.stepFinished(ctx.cfg.listeners(), ctx.id, runbook.id(), r);
    }

    /** The step's params rendered, and as recorded (secrets masked); or the failed step's end. */
    private record Rendered(Map<String, Object> params, StepResult.Start start, StepAttempts.Ended failure) {
    }

    private Rendered render(ActionStep s, CompiledParams compiled, StepResult.Start begun) {
        try {
            Map<String, Object> rendered = compiled.render(vars.view(), notRunOutputs);
            Map<String, Object> recorded = compiled.readsSecrets() ? compiled.renderMasked(vars.view(), notRunOutputs)
                    : rendered;
            return new Rendered(rendered, begun.withParams(recorded), null);
        } catch (MissingValueException e) {
            return new Rendered(null, begun, StepAttempts.Ended.of(failed(begun, s, "refused: " + e.getMessage(), 0)));
        } catch (RuntimeException e) {
            return new Rendered(null, begun,
                    StepAttempts.Ended.of(failed(begun, s, "could not render params: " + e.getMessage(), 0)));
        }
    }

    private StepAttempts.Ended chain(CompiledStep.Chain chain, StepResult.Start begun) {
        Rendered r = render(chain.step(), chain.params(), begun);
        return r.failure() != null ? r.failure() : StepAttempts.Ended.of(chain(chain, r.params(), r.start()));
    }

    private StepAttempts.Ended call(CompiledStep.Call call, StepResult.Start begun) {
        ActionStep s = call.step();
        Rendered r = render(s, call.params(), begun);
        if (r.failure() != null) {
            return r.failure();
        }
        Map<String, Object> rendered = r.params();
        StepResult.Start start = r.start();
        Action action = call.action();
        Map<String, Object> params;
        try {
            params = action.schema().apply(withoutNulls(rendered));
        } catch (ParamException e) {
            return StepAttempts.Ended.of(failed(start, s, "invalid params: " + e.getMessage(), 0));
        }
        if (dryRun && action.mutating() && !action.supportsDryRun()) {
            s.outputVar().ifPresent(notRunOutputs::add);
            return StepAttempts.Ended.of(StepResult.notRunInDryRun(start, "would call " + s.action(), ctx.cfg.clock().instant()));
        }
        var attempts = new StepAttempts(ctx, runbook, s, action, params, vars, dryRun, rollbackMode,
                result -> checkExpect(call, result));
        StepAttempts.Ended ended = attempts.run(start);
        if (ended.result().status() == StepStatus.SUCCEEDED) {
            Object output = ended.result().output().orElse(null);
            s.outputVar().ifPresent(v -> vars.put(v, output));
            if (dryRun && action.mutating()) {
                // a dry run's output previews the change: what the change creates (an id) cannot be in it yet
                s.outputVar().ifPresent(notRunOutputs::add);
            }
        } else {
            LOG.info("execution {}: step '{}' ({}{}) failed: {}", ctx.id, s.name(), s.action(), dryRun ? ", dry run" : "",
                    ended.result().error().orElse(""));
        }
        return ended;
    }

    private Optional<String> checkExpect(CompiledStep.Call call, dev.runbook.core.action.ActionResult result) {
        if (call.expect().isEmpty()) {
            return Optional.empty();
        }
        CompiledExpression expect = call.expect().get();
        Object output = result.output().orElse(null);
        var ev = new HashMap<String, Object>(vars.view());
        if (output instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                String name = String.valueOf(k);
                if (IDENT.matcher(name).matches() && ev.get(name) == null) {
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

    private StepResult chain(CompiledStep.Chain call, Map<String, Object> rendered, StepResult.Start start) {
        ActionStep s = call.step();
        EngineConfig cfg = ctx.cfg;
        String target = String.valueOf(rendered.get("runbook"));
        CompiledRunbook child = cfg.runbooks().get(target);
        if (child == null) {
            return failed(start, s, "run_runbook: unknown runbook '" + target + "'", 1);
        }
        if (depth + 1 > cfg.maxChainDepth()) {
            return failed(start, s, "run_runbook: chaining deeper than " + cfg.maxChainDepth() + " runbooks", 1);
        }
        Map<String, Object> given = new HashMap<>();
        if (rendered.get("params") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> given.put(String.valueOf(k), v));
        }
        var childParams = new LinkedHashMap<String, Object>();
        Optional<String> missing = Parameters.resolve(cfg, child, given, childParams);
        if (missing.isPresent()) {
            return failed(start, s, "run_runbook " + target + ": " + missing.get(), 1);
        }
        var childVars = new Variables();
        for (String out : child.outputVars()) {
            childVars.put(out, null);
        }
        childParams.forEach(childVars::put);
        childVars.put("incident", vars.get("incident"));
        childVars.put("execution", executionVar(ctx.id, child.runbook(), dryRun));
        var sub = new StepRunner(ctx, child.runbook(), dryRun, rollbackMode, childVars, depth + 1);
        Outcome out = sub.run(child.steps());
        var touched = new ArrayList<TouchedResource>();
        for (StepResult r : sub.results) {
            touched.addAll(r.touched());
            results.add(r.prefixed(target + "/"));
        }
        if (out.failed()) {
            String error = "chained runbook " + target + " failed at step '" + out.failedStep + "': " + out.error;
            if (!dryRun && out.policy.rollsBack() && !child.rollback().isEmpty()
                    && ctx.aliveAbandoned().isEmpty()) {
                childVars.put("error_message", error);
                childVars.put("failed_step", out.failedStep);
                var undo = new StepRunner(ctx, child.runbook(), false, true, childVars, depth + 1);
                Outcome r = undo.run(child.rollback());
                undo.results.forEach(x -> results.add(x.prefixed(target + "/rollback/")));
                error += r.failed() ? "; its rollback failed at '" + r.failedStep + "': " + r.error : "; it was rolled back";
            }
            return failed(start, s, error, 1);
        }
        var output = new LinkedHashMap<String, Object>();
        for (String v : child.outputVars()) {
            output.put(v, childVars.get(v));
        }
        Map<String, Object> outMap = Collections.unmodifiableMap(output);
        s.outputVar().ifPresent(v -> vars.put(v, outMap));
        return StepResult.succeeded(start, Optional.of(outMap), 1, touched, "ran runbook " + target, cfg.clock().instant());
    }

    private StepResult failed(StepResult.Start start, ActionStep s, String error, int attempts) {
        LOG.info("execution {}: step '{}' ({}{}) failed: {}", ctx.id, s.name(), s.action(), dryRun ? ", dry run" : "", error);
        return StepResult.failed(start, error, attempts, ctx.cfg.clock().instant());
    }

    static Map<String, Object> withoutNulls(Map<String, Object> m) {
        var out = new LinkedHashMap<String, Object>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
