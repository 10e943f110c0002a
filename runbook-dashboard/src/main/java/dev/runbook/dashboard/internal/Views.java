package dev.runbook.dashboard.internal;

import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionView;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.internal.Json;
import dev.runbook.core.match.CriterionResult;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.model.Incident;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executions, incidents and steps as plain maps for {@code Json.write}: executions and steps are core's
 * {@link ExecutionView} (the keys CLI and MCP use), with long texts clipped for the page. Values are copied as data
 * (the page renders them as text, never as markup); step params come from the engine already masked.
 */
public final class Views {
    /** The longest text of one value sent to the page: an action's output can be large. */
    static final int MAX_TEXT = 4_000;

    private Views() {
    }

    /**
     * One line of the history table: core's {@link ExecutionView#summary}, plus the incident's
     * {@code root_cause_reason} and {@code resource} key.
     */
    public static Map<String, Object> summary(Execution e) {
        var m = clipped(ExecutionView.summary(e));
        m.put("root_cause_reason", e.incident().rootCauseReason());
        m.put("resource", e.incident().resource().key());
        return m;
    }

    /**
     * The whole record of one execution: core's {@link ExecutionView#of} (long texts clipped), plus the incident's
     * {@code root_cause_reason} and {@code resource} key and the {@code match} with every runbook's reasons.
     */
    public static Map<String, Object> detail(Execution e) {
        var m = clipped(ExecutionView.of(e));
        m.put("root_cause_reason", e.incident().rootCauseReason());
        m.put("resource", e.incident().resource().key());
        m.put("match", match(e.match()));
        return m;
    }

    /** The incident's fields. */
    public static Map<String, Object> incident(Incident i) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", i.incidentId());
        m.put("rootCause", i.rootCauseReason());
        m.put("confidence", i.rcaConfidence());
        m.put("symptom", i.symptomReason());
        m.put("resource", i.resource().key());
        m.put("cluster", i.cluster().orElse(""));
        m.put("eventTime", i.eventTime().map(Instant::toString).orElse(""));
        return m;
    }

    /** The chosen runbook and the near misses, each with its reasons. */
    public static Map<String, Object> match(MatchReport r) {
        var m = new LinkedHashMap<String, Object>();
        m.put("chosen", r.best().map(b -> b.id()).orElse(""));
        m.put("matches", r.matches().stream().map(Views::runbookMatch).toList());
        m.put("rejected", r.rejected().stream().map(Views::runbookMatch).toList());
        return m;
    }

    private static Map<String, Object> runbookMatch(RunbookMatch rm) {
        var m = new LinkedHashMap<String, Object>();
        m.put("runbook_id", rm.runbook().id());
        m.put("matched", rm.matched());
        m.put("why", rm.why());
        m.put("criteria", rm.criteria().stream().map(Views::criterion).toList());
        // How close it came: criteria that held out of all checked.
        m.put("passed", rm.criteria().stream().filter(CriterionResult::passed).count());
        return m;
    }

    private static Map<String, Object> criterion(CriterionResult c) {
        return Map.of("criterion", c.criterion(), "passed", c.passed(), "detail", c.detail());
    }

    /** A waiting approval request. */
    public static Map<String, Object> request(ApprovalRequest r) {
        var m = new LinkedHashMap<String, Object>();
        m.put("executionId", r.executionId());
        m.put("runbookId", r.runbookId());
        m.put("runbookVersion", r.runbookVersion());
        m.put("incident", incident(r.incident()));
        m.put("plannedSteps", r.plannedSteps().stream().map(Views::clip).toList());
        m.put("blastRadius", r.blastRadius());
        m.put("requestedAt", r.requestedAt().toString());
        return m;
    }

    /** A finished step: core's {@link ExecutionView#step} (params masked by the engine), long texts clipped. */
    public static Map<String, Object> step(StepResult s) {
        return clipped(ExecutionView.step(s));
    }

    /**
     * A copy of a view whose texts are bounded for the page: every text to {@link #MAX_TEXT} characters, and
     * {@code params} or {@code output} whose JSON is longer to that JSON's clipped text.
     */
    static LinkedHashMap<String, Object> clipped(Map<String, Object> view) {
        var out = new LinkedHashMap<String, Object>();
        view.forEach((k, v) -> out.put(k, clipValue(k, v)));
        return out;
    }

    private static Object clipValue(String key, Object v) {
        if ((key.equals("params") || key.equals("output")) && !(v instanceof String)) {
            String json = Json.write(v);
            if (json.length() > MAX_TEXT) {
                return clip(json);
            }
        }
        if (v instanceof String s) {
            return clip(s);
        }
        if (v instanceof Map<?, ?> m) {
            var out = new LinkedHashMap<String, Object>();
            m.forEach((k, x) -> out.put(String.valueOf(k), clipValue(String.valueOf(k), x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(x -> clipValue("", x)).toList();
        }
        return v;
    }

    /** Bounds a text sent to the page. */
    static String clip(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "… (" + s.length() + " characters)";
    }
}
