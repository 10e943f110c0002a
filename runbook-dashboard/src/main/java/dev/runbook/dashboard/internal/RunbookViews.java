package dev.runbook.dashboard.internal;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.RunbookView;
import dev.runbook.core.model.Step;
import dev.runbook.core.model.Trigger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A runbook's trigger, safety and steps as plain maps, rendered from the model (never from its source text); the safety
 * is core's {@link RunbookView#safety}, as MCP shows it.
 */
public final class RunbookViews {
    private RunbookViews() {
    }

    /** The whole runbook. */
    public static Map<String, Object> runbook(Runbook rb) {
        var m = RunbookView.summary(rb);
        m.put("trigger", trigger(rb.trigger()));
        m.put("safety", RunbookView.safety(rb.safety()));
        m.put("steps", steps(rb.steps().steps()));
        m.put("rollback", steps(rb.rollback()));
        m.put("notifications", Map.of(
                "onSuccess", rb.notifications().onSuccess().stream().map(Notification::channel).toList(),
                "onFailure", rb.notifications().onFailure().stream().map(Notification::channel).toList()));
        m.put("parameters", rb.parameters().stream().map(p -> p.name() + (p.secret() ? " (secret)" : "")).toList());
        return m;
    }

    /** Trigger fields that are set, as YAML key to shown value. */
    static Map<String, Object> trigger(Trigger t) {
        var m = new LinkedHashMap<String, Object>();
        putIf(m, "root_cause_reason", t.rootCauseReasons());
        putIf(m, "symptom_reason", t.symptomReasons());
        m.put("min_confidence", t.minConfidence());
        putIf(m, "affected_resource_kinds", t.resourceKinds());
        putIf(m, "namespaces", t.namespaces());
        putIf(m, "clusters", t.clusters());
        if (!t.labels().isEmpty()) {
            m.put("labels", String.valueOf(t.labels()));
        }
        t.when().ifPresent(w -> m.put("when", w));
        return m;
    }

    /** Steps, branches nested. */
    static List<Map<String, Object>> steps(List<Step> steps) {
        return steps.stream().map(RunbookViews::step).toList();
    }

    private static Map<String, Object> step(Step s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", s.name());
        if (s instanceof ActionStep a) {
            m.put("action", a.action());
            m.put("params", Views.clip(dev.runbook.core.internal.Json.write(a.params().toPlain())));
            a.when().ifPresent(w -> m.put("when", w));
            a.expect().ifPresent(x -> m.put("expect", x));
            a.outputVar().ifPresent(o -> m.put("outputVar", o));
            m.put("onFailure", a.onFailure().name().toLowerCase(java.util.Locale.ROOT));
        } else if (s instanceof BranchStep b) {
            m.put("action", "branch");
            m.put("if", b.condition());
            m.put("then", steps(b.then()));
            m.put("else", steps(b.otherwise()));
        }
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, java.util.Collection<String> values) {
        if (!values.isEmpty()) {
            m.put(key, String.join(", ", values));
        }
    }
}
