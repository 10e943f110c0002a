package dev.runbook.mcp.internal;

import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.engine.ExecutionView;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.RunbookView;
import dev.runbook.core.model.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns engine values into JSON-ready maps, lists, strings, numbers and booleans. */
public final class Plain {
    private Plain() {
    }

    /** A JSON-ready copy: maps, lists, text, numbers, booleans and nulls (core's {@link ExecutionView#plain}). */
    public static Object of(Object v) {
        return ExecutionView.plain(v);
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

    /** An approval decision: approved, approver, reason, decided_at (core's {@link ExecutionView#approval}). */
    public static Map<String, Object> approval(ApprovalDecision a) {
        return ExecutionView.approval(a);
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
        var m = RunbookView.summary(rb);
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
        m.put("safety", RunbookView.safety(rb.safety()));
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

}
