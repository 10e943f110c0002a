package dev.runbook.mcp.internal;

import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.internal.Durations;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns engine values into JSON-ready maps, lists, strings, numbers and booleans. */
public final class Plain {
    private Plain() {
    }

    /** A JSON-ready copy: maps, lists, text, numbers, booleans and nulls; anything else as its text. */
    public static Object of(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Optional<?> o) {
            return o.map(Plain::of).orElse(null);
        }
        if (v instanceof Duration d) {
            return Durations.human(d);
        }
        if (v instanceof Map<?, ?> m) {
            var out = new LinkedHashMap<String, Object>();
            m.forEach((k, x) -> out.put(String.valueOf(k), of(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            var out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(of(x)));
            return out;
        }
        return v.toString();
    }

    /** The JSON Schema of an action's parameters: types, descriptions, defaults and the required list. */
    public static Map<String, Object> inputSchema(ParamSchema schema) {
        var props = new LinkedHashMap<String, Object>();
        var required = new ArrayList<String>();
        for (ParamSpec p : schema.params()) {
            props.put(p.name(), property(p));
            if (p.required()) {
                required.add(p.name());
            }
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("type", "object");
        out.put("properties", props);
        out.put("required", required);
        out.put("additionalProperties", schema.additionalAllowed());
        return out;
    }

    static Map<String, Object> property(ParamSpec p) {
        var m = new LinkedHashMap<String, Object>();
        String description = p.description();
        switch (p.type()) {
            case STRING -> m.put("type", "string");
            case INTEGER -> m.put("type", "integer");
            case NUMBER -> m.put("type", "number");
            case BOOLEAN -> m.put("type", "boolean");
            case DURATION -> {
                m.put("type", "string");
                m.put("pattern", "^(PT.*|[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)?)$");
                description += " (a duration: 250ms, 30s, 5m, 1h, a number of seconds, or ISO-8601 PT5M)";
            }
            case MAP -> m.put("type", "object");
            case LIST -> m.put("type", "array");
            case ANY -> {
                // any JSON value: no type constraint
            }
        }
        m.put("description", description);
        p.defaultValue().ifPresent(d -> m.put("default", of(d)));
        return m;
    }

    /** What a guard decided. */
    public static Map<String, Object> decision(GuardDecision d) {
        var m = new LinkedHashMap<String, Object>();
        m.put("guard", d.guard());
        m.put("allowed", d.allowed());
        m.put("reason", d.reason());
        return m;
    }

    /** An approval decision: approved, approver, reason, when. */
    public static Map<String, Object> approval(ApprovalDecision a) {
        var am = new LinkedHashMap<String, Object>();
        am.put("approved", a.approved());
        am.put("approver", a.approver());
        am.put("reason", a.reason());
        am.put("decided_at", a.decidedAt().toString());
        return am;
    }

    /** An execution record, with {@code refused_by} naming the guard that refused, if one did. */
    public static Map<String, Object> execution(Execution e) {
        var m = new LinkedHashMap<String, Object>();
        m.put("execution_id", e.id());
        m.put("status", e.status().name());
        m.put("runbook_id", e.runbookId());
        m.put("runbook_version", e.runbookVersion());
        m.put("incident_id", e.incidentId());
        e.denial().ifPresent(d -> m.put("refused_by", decision(d)));
        e.error().ifPresent(err -> m.put("error", err));
        m.put("executed_by", e.executedBy());
        e.approval().ifPresent(a -> m.put("approval", approval(a)));
        m.put("guard_decisions", e.guardDecisions().stream().map(Plain::decision).toList());
        m.put("dry_run_steps", e.dryRunSteps().stream().map(Plain::step).toList());
        m.put("steps", e.steps().stream().map(Plain::step).toList());
        m.put("rollback_steps", e.rollbackSteps().stream().map(Plain::step).toList());
        m.put("actions_taken", e.actionsTaken());
        m.put("touched", e.touched().stream().map(TouchedResource::key).toList());
        m.put("started_at", e.startedAt().toString());
        m.put("finished_at", e.finishedAt().toString());
        return m;
    }

    static Map<String, Object> step(StepResult s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", s.name());
        m.put("action", s.action());
        m.put("status", s.status().name());
        m.put("params", of(s.params()));
        s.output().ifPresent(o -> m.put("output", of(o)));
        s.error().ifPresent(err -> m.put("error", err));
        m.put("attempts", s.attempts());
        m.put("touched", s.touched().stream().map(TouchedResource::key).toList());
        m.put("summary", s.summary());
        return m;
    }

    /** Which runbooks match an incident and why the others do not. */
    public static Map<String, Object> matchReport(MatchReport r) {
        var m = new LinkedHashMap<String, Object>();
        m.put("incident_id", r.incident().incidentId());
        m.put("best", r.best().map(Runbook::id).orElse(null));
        m.put("matches", r.matches().stream().map(Plain::match).toList());
        m.put("rejected", r.rejected().stream().map(Plain::match).toList());
        return m;
    }

    static Map<String, Object> match(RunbookMatch rm) {
        var m = new LinkedHashMap<String, Object>();
        m.put("runbook_id", rm.runbook().id());
        m.put("matched", rm.matched());
        m.put("why", rm.why());
        m.put("criteria", rm.criteria().stream().map(c -> {
            var cm = new LinkedHashMap<String, Object>();
            cm.put("criterion", c.criterion());
            cm.put("passed", c.passed());
            cm.put("detail", c.detail());
            return cm;
        }).toList());
        return m;
    }

    /** A runbook's summary for the library listing. */
    public static Map<String, Object> runbookSummary(Runbook rb) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", rb.id());
        m.put("name", rb.name());
        m.put("version", rb.version());
        m.put("description", rb.description());
        m.put("enabled", rb.enabled());
        var t = new LinkedHashMap<String, Object>();
        t.put("root_cause_reasons", List.copyOf(rb.trigger().rootCauseReasons()));
        t.put("resource_kinds", List.copyOf(rb.trigger().resourceKinds()));
        t.put("min_confidence", rb.trigger().minConfidence());
        rb.trigger().when().ifPresent(w -> t.put("when", w));
        m.put("trigger", t);
        m.put("actions", actions(rb.steps().steps()));
        return m;
    }

    /** A runbook in full: summary, safety, steps and rollback steps. */
    public static Map<String, Object> runbook(Runbook rb) {
        var m = runbookSummary(rb);
        m.put("safety", safety(rb.safety()));
        m.put("steps", steps(rb.steps().steps()));
        m.put("rollback", steps(rb.rollback()));
        return m;
    }

    static List<String> actions(List<Step> steps) {
        var out = new ArrayList<String>();
        for (Step s : steps) {
            if (s instanceof ActionStep a) {
                if (!out.contains(a.action())) {
                    out.add(a.action());
                }
            } else if (s instanceof BranchStep b) {
                for (String a : actions(b.then())) {
                    if (!out.contains(a)) {
                        out.add(a);
                    }
                }
                for (String a : actions(b.otherwise())) {
                    if (!out.contains(a)) {
                        out.add(a);
                    }
                }
            }
        }
        return out;
    }

    static List<Map<String, Object>> steps(List<Step> steps) {
        var out = new ArrayList<Map<String, Object>>();
        for (Step s : steps) {
            var m = new LinkedHashMap<String, Object>();
            if (s instanceof ActionStep a) {
                m.put("name", a.name());
                m.put("action", a.action());
                m.put("params", of(a.params().toPlain()));
            } else if (s instanceof BranchStep b) {
                m.put("name", b.name());
                m.put("if", b.condition());
                m.put("then", steps(b.then()));
                m.put("else", steps(b.otherwise()));
            }
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> safety(Safety s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("require_approval", s.requireApproval());
        m.put("dry_run_first", s.dryRunFirst());
        s.maxExecutionsPerHour().ifPresent(v -> m.put("max_executions_per_hour", v));
        s.blastRadiusLimit().ifPresent(v -> m.put("blast_radius_limit", v));
        s.maxActionsPerHour().ifPresent(v -> m.put("max_actions_per_hour", v));
        if (!s.maxActionPerResourcePerHour().isEmpty()) {
            m.put("max_action_per_resource_per_hour", s.maxActionPerResourcePerHour());
        }
        s.minActionSpacing().ifPresent(v -> m.put("min_action_spacing", Durations.human(v)));
        s.cooldown().ifPresent(v -> m.put("cooldown", Durations.human(v)));
        s.replicas().ifPresent(r -> m.put("replicas", Map.of("min", r.min(), "max", r.max())));
        m.put("env_whitelist", List.copyOf(s.envWhitelist()));
        return m;
    }
}
