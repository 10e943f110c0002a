package dev.runbook.dashboard.internal;

import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.NotificationResult;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.CriterionResult;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.model.Incident;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Executions, incidents, guard decisions and steps as plain maps for {@code Json.write}. Values are copied as
 * data (the page renders them as text, never as markup); step params come from the engine already masked.
 */
public final class Views {
    /** The longest text of one value sent to the page: an action's output can be large. */
    static final int MAX_TEXT = 4_000;

    private Views() {
    }

    /** One line of the history table. */
    public static Map<String, Object> summary(Execution e) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", e.id());
        m.put("runbookId", e.runbookId());
        m.put("runbookVersion", e.runbookVersion());
        m.put("incidentId", e.incidentId());
        m.put("rootCause", e.incident().rootCauseReason());
        m.put("resource", e.incident().resource().key());
        m.put("status", e.status().name());
        m.put("startedAt", e.startedAt().toString());
        m.put("durationMs", e.duration().toMillis());
        m.put("error", e.error().orElse(""));
        return m;
    }

    /** The whole record of one execution. */
    public static Map<String, Object> detail(Execution e) {
        var m = summary(e);
        m.put("finishedAt", e.finishedAt().toString());
        m.put("executedBy", e.executedBy());
        m.put("incident", incident(e.incident()));
        m.put("match", match(e.match()));
        m.put("guards", e.guardDecisions().stream().map(Views::guard).toList());
        m.put("approval", e.approval().map(Views::approval).orElse(null));
        m.put("dryRun", e.dryRunSteps().stream().map(Views::step).toList());
        m.put("steps", e.steps().stream().map(Views::step).toList());
        m.put("rollback", e.rollbackSteps().stream().map(Views::step).toList());
        m.put("actionsTaken", e.actionsTaken());
        m.put("notifications", e.notifications().stream().map(Views::notification).toList());
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
        m.put("runbookId", rm.runbook().id());
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

    /** One guard decision. */
    public static Map<String, Object> guard(GuardDecision d) {
        return Map.of("guard", d.guard(), "allowed", d.allowed(), "reason", d.reason());
    }

    /** An approval decision. */
    public static Map<String, Object> approval(ApprovalDecision d) {
        return Map.of("approved", d.approved(), "approver", d.approver(), "reason", d.reason(),
                "decidedAt", d.decidedAt().toString());
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

    /** A finished step: rendered params (secrets masked by the engine), output, timing. */
    public static Map<String, Object> step(StepResult s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", s.name());
        m.put("action", s.action());
        m.put("status", s.status().name());
        m.put("dryRun", s.dryRun());
        m.put("params", clip(dev.runbook.core.internal.Json.write(s.params())));
        m.put("output", s.output().map(o -> clip(String.valueOf(o))).orElse(""));
        m.put("error", s.error().orElse(""));
        m.put("attempts", s.attempts());
        m.put("summary", s.summary());
        m.put("startedAt", s.startedAt().toString());
        m.put("durationMs", s.duration().toMillis());
        return m;
    }

    private static Map<String, Object> notification(NotificationResult n) {
        return Map.of("channel", n.channel(), "message", clip(n.message()), "sent", n.sent(),
                "error", n.error().orElse(""));
    }

    /** Bounds a text sent to the page. */
    static String clip(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "… (" + s.length() + " characters)";
    }
}
