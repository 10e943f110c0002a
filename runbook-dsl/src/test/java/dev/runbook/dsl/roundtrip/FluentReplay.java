package dev.runbook.dsl.roundtrip;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Step;
import dev.runbook.core.model.Trigger;
import dev.runbook.dsl.Runbooks;
import dev.runbook.dsl.fluent.ActionOptions;
import dev.runbook.dsl.fluent.AfterRollbackStep;
import dev.runbook.dsl.fluent.AfterStep;
import dev.runbook.dsl.fluent.BranchElse;
import dev.runbook.dsl.fluent.BranchOptions;
import dev.runbook.dsl.fluent.BranchStart;
import dev.runbook.dsl.fluent.NotificationStage;
import dev.runbook.dsl.fluent.RunbookStage;
import dev.runbook.dsl.fluent.StepStart;
import dev.runbook.dsl.fluent.Steps;
import java.util.List;
import java.util.Map;

/**
 * Writes a model runbook again through the public Java DSL, choosing the DSL's own words wherever they fit
 * ({@code retry(3)}, {@code retry(3, backoff)}, {@code secret(..)}, {@code slack(channel, message)}, default values
 * left unsaid), so that {@code equals} to the model proves those words mean what the file format means.
 */
final class FluentReplay {
    private FluentReplay() {
    }

    /** Whether the DSL can say this runbook: it refuses a branch without then steps, which a file may write. */
    static boolean expressible(Runbook rb) {
        return expressible(rb.steps().steps()) && expressible(rb.rollback());
    }

    private static boolean expressible(List<Step> steps) {
        return steps.stream().allMatch(s -> !(s instanceof BranchStep b)
                || (!b.then().isEmpty() && expressible(b.then()) && expressible(b.otherwise())));
    }

    static Runbook build(Runbook rb) {
        RunbookStage h = Runbooks.runbook(rb.id());
        if (!rb.name().equals(rb.id())) {
            h = h.name(rb.name());
        }
        if (!rb.version().equals(Runbook.DEFAULT_VERSION)) {
            h = h.version(rb.version());
        }
        if (!rb.author().isEmpty()) {
            h = h.author(rb.author());
        }
        if (!rb.description().isEmpty()) {
            h = h.description(rb.description());
        }
        for (var e : rb.labels().entrySet()) {
            h = h.label(e.getKey(), e.getValue());
        }
        if (!rb.enabled()) {
            h = h.enabled(false);
        }
        if (!rb.trigger().equals(Trigger.any())) {
            Trigger t = rb.trigger();
            h = h.trigger(s -> {
                if (!t.rootCauseReasons().isEmpty()) {
                    s.rootCause(t.rootCauseReasons().toArray(String[]::new));
                }
                if (!t.symptomReasons().isEmpty()) {
                    s.symptoms(t.symptomReasons().toArray(String[]::new));
                }
                if (Double.compare(t.minConfidence(), Trigger.any().minConfidence()) != 0) {
                    s.minConfidence(t.minConfidence());
                }
                if (!t.resourceKinds().isEmpty()) {
                    s.resourceKinds(t.resourceKinds().toArray(String[]::new));
                }
                if (!t.namespaces().isEmpty()) {
                    s.namespaces(t.namespaces().toArray(String[]::new));
                }
                if (!t.clusters().isEmpty()) {
                    s.clusters(t.clusters().toArray(String[]::new));
                }
                t.labels().forEach(s::label);
                t.when().ifPresent(s::when);
            });
        }
        if (!rb.safety().equals(Safety.none())) {
            h = safety(h, rb.safety());
        }
        for (Parameter p : rb.parameters()) {
            h = parameter(h, p);
        }
        List<Step> steps = rb.steps().steps();
        AfterStep after = (AfterStep) step(h.step(steps.get(0).name()), steps.get(0));
        for (Step s : steps.subList(1, steps.size())) {
            after = (AfterStep) step(after.step(s.name()), s);
        }
        Object stage = after;
        for (Notification n : rb.notifications().onSuccess()) {
            stage = notify(stage instanceof AfterStep a ? a.notifyOnSuccess()
                    : ((NotificationStage) stage).notifyOnSuccess(), n);
        }
        for (Notification n : rb.notifications().onFailure()) {
            stage = notify(stage instanceof AfterStep a ? a.notifyOnFailure()
                    : ((NotificationStage) stage).notifyOnFailure(), n);
        }
        for (Step s : rb.rollback()) {
            var start = stage instanceof AfterStep a ? a.rollback(s.name())
                    : stage instanceof NotificationStage ns ? ns.rollback(s.name())
                    : ((AfterRollbackStep) stage).rollback(s.name());
            stage = step(start, s);
        }
        if (stage instanceof AfterStep a) {
            return a.build();
        }
        return stage instanceof NotificationStage ns ? ns.build() : ((AfterRollbackStep) stage).build();
    }

    private static RunbookStage safety(RunbookStage h, Safety x) {
        Safety d = Safety.none();
        return h.safety(s -> {
            if (x.requireApproval() != d.requireApproval()) {
                s.requireApproval(x.requireApproval());
            }
            x.maxExecutionsPerHour().ifPresent(s::maxExecutionsPerHour);
            x.blastRadiusLimit().ifPresent(s::blastRadiusLimit);
            if (x.dryRunFirst() != d.dryRunFirst()) {
                s.dryRunFirst(x.dryRunFirst());
            }
            if (Double.compare(x.minConfidence(), d.minConfidence()) != 0) {
                s.minConfidence(x.minConfidence());
            }
            x.cooldown().ifPresent(s::cooldown);
            x.minActionSpacing().ifPresent(s::minActionSpacing);
            x.maxExecutionsPerResourcePerHour().ifPresent(s::maxExecutionsPerResourcePerHour);
            x.maxActionsPerHour().ifPresent(s::maxActionsPerHour);
            x.maxActionPerResourcePerHour().forEach(s::maxActionPerResourcePerHour);
            if (!x.allowedNamespaces().isEmpty()) {
                s.allowedNamespaces(x.allowedNamespaces().toArray(String[]::new));
            }
            x.replicas().ifPresent(r -> s.replicas(r.min(), r.max()));
            if (!x.envWhitelist().isEmpty()) {
                s.envWhitelist(x.envWhitelist().toArray(String[]::new));
            }
            if (x.resumeOnRecovery() != d.resumeOnRecovery()) {
                s.resumeOnRecovery(x.resumeOnRecovery());
            }
            x.pauseAfter().ifPresent(p -> s.pauseAfter(p.failures(), p.within()));
        });
    }

    private static RunbookStage parameter(RunbookStage h, Parameter p) {
        boolean byDefault = p.required() == Parameter.requiredByDefault(p.defaultValue());
        if (p.secret() && p.required() && p.defaultValue().isEmpty()) {
            return h.secret(p.name(), p.description());
        } else if (!p.secret() && !p.required() && p.defaultValue().isEmpty()) {
            return h.optionalParameter(p.name(), p.description());
        } else if (p.secret() || !byDefault) {
            return h.parameter(p);
        } else if (p.defaultValue().isPresent()) {
            return h.parameter(p.name(), p.description(), p.defaultValue().get().toPlain());
        }
        return h.parameter(p.name(), p.description());
    }

    private static NotificationStage notify(dev.runbook.dsl.fluent.NotificationTarget target, Notification n) {
        Map<String, ParamValue> e = n.params().entries();
        if (n.channel().equals("slack") && List.copyOf(e.keySet()).equals(List.of("channel", "message"))
                && e.values().stream().allMatch(v -> v instanceof ParamValue.Scalar s && s.isText())) {
            return target.slack(text(e.get("channel")), text(e.get("message")));
        }
        if (n.channel().equals("slack") && e.keySet().equals(java.util.Set.of("message")) && e.get("message") instanceof ParamValue.Scalar s
                && s.isText()) {
            return target.slack(text(s));
        }
        @SuppressWarnings("unchecked")
        var plain = (Map<String, ?>) n.params().toPlain();
        return target.notify(n.channel(), plain);
    }

    private static String text(ParamValue v) {
        return (String) ((ParamValue.Scalar) v).value();
    }

    /** Adds one step after {@code start} and returns the stage that follows it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object step(StepStart start, Step s) {
        if (s instanceof ActionStep a) {
            ActionOptions o = (ActionOptions) start.action(a.action());
            a.params().entries().forEach((k, v) -> o.param(k, v.toPlain()));
            a.outputVar().ifPresent(o::outputVar);
            a.when().ifPresent(o::when);
            RetryPolicy r = a.retry();
            if (r.equals(RetryPolicy.attempts(r.maxAttempts())) && !r.equals(RetryPolicy.none())) {
                o.retry(r.maxAttempts());
            } else if (r.equals(RetryPolicy.of(r.maxAttempts(), r.initialBackoff()))) {
                o.retry(r.maxAttempts(), r.initialBackoff());
            } else if (!r.equals(RetryPolicy.none())) {
                o.retry(r);
            }
            a.timeout().ifPresent(o::timeout);
            a.expect().ifPresent(o::expect);
            if (a.onFailure() != OnFailure.DEFAULT) {
                o.onFailure(a.onFailure());
            }
            if (a.idempotent()) {
                o.idempotent();
            }
            return o;
        }
        BranchStep b = (BranchStep) s;
        Object stage = ((BranchStart) start.branch(b.condition())).then(t -> addAll((Steps) t, b.then()));
        if (!b.otherwise().isEmpty()) {
            stage = ((BranchElse) stage).otherwise(t -> addAll((Steps) t, b.otherwise()));
        }
        BranchOptions o = (BranchOptions) stage;
        b.when().ifPresent(o::when);
        if (b.onFailure() != OnFailure.DEFAULT) {
            o.onFailure(b.onFailure());
        }
        return stage;
    }

    private static void addAll(Steps steps, List<Step> list) {
        Steps cur = steps;
        for (Step s : list) {
            cur = (Steps) step(cur.step(s.name()), s);
        }
    }
}
