package dev.runbook.core.backtest.internal;

import dev.runbook.core.backtest.BacktestDecision;
import dev.runbook.core.backtest.BacktestOutcome;
import dev.runbook.core.backtest.BacktestReport;
import dev.runbook.core.backtest.Comparison;
import dev.runbook.core.backtest.RecordedExecution;
import dev.runbook.core.backtest.RunbookSummary;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The backtest report as JSON, written by core's {@link Json}. */
public final class JsonReport {
    private JsonReport() {
    }

    /** The report as JSON text. */
    public static String render(BacktestReport r) {
        var root = new LinkedHashMap<String, Object>();
        root.put("incidents", r.decisions().size());
        root.put("execution_time_ms", r.executionTime().toMillis());
        var totals = new LinkedHashMap<String, Object>();
        for (BacktestOutcome o : BacktestOutcome.values()) {
            totals.put(o.name().toLowerCase(java.util.Locale.ROOT), r.count(o));
        }
        for (Comparison c : Comparison.values()) {
            totals.put(c.name().toLowerCase(java.util.Locale.ROOT), r.count(c));
        }
        root.put("totals", totals);
        var runbooks = new ArrayList<Object>();
        for (RunbookSummary s : r.perRunbook()) {
            var m = new LinkedHashMap<String, Object>();
            m.put("runbook", s.runbookId());
            m.put("matched", s.matched());
            m.put("would_run", s.wouldRun());
            m.put("would_deny", s.wouldDeny());
            m.put("denied_by", s.deniedBy());
            m.put("recorded_runs", s.recordedRuns());
            m.put("differences", s.differences());
            runbooks.add(m);
        }
        root.put("runbooks", runbooks);
        var decisions = new ArrayList<Object>();
        r.decisions().forEach(d -> decisions.add(decision(d)));
        root.put("decisions", decisions);
        return Json.write(root);
    }

    private static Map<String, Object> decision(BacktestDecision d) {
        var m = new LinkedHashMap<String, Object>();
        m.put("incident_id", d.incidentId());
        m.put("event_time", d.eventTime().toString());
        m.put("symptom_reason", d.symptomReason());
        m.put("root_cause_reason", d.rootCauseReason());
        m.put("rca_confidence", d.rcaConfidence());
        m.put("resource", d.resourceKey());
        m.put("outcome", d.outcome().name().toLowerCase(java.util.Locale.ROOT));
        m.put("runbook", d.runbookId().orElse(null));
        m.put("match", d.matchExplanation());
        m.put("denied_by", d.deniedBy().orElse(null));
        m.put("denial_reason", d.denial().map(GuardDecision::reason).orElse(null));
        List<Object> guards = new ArrayList<>();
        d.guardDecisions().forEach(g -> guards.add(Map.of("guard", g.guard(), "allowed", g.allowed(), "reason",
                g.reason())));
        m.put("guards", guards);
        List<Object> rec = new ArrayList<>();
        for (RecordedExecution x : d.recorded()) {
            var e = new LinkedHashMap<String, Object>();
            e.put("execution_id", x.executionId());
            e.put("runbook", x.runbookId());
            e.put("status", x.status().name().toLowerCase(java.util.Locale.ROOT));
            e.put("denied_by", x.deniedBy().orElse(null));
            e.put("executed_at", x.executedAt().toString());
            rec.add(e);
        }
        m.put("recorded", rec);
        m.put("comparison", d.comparison().name().toLowerCase(java.util.Locale.ROOT));
        m.put("difference", d.difference().orElse(null));
        return m;
    }
}
