package dev.runbook.core.engine;

import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.internal.Durations;
import java.time.Duration;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one plain view of an {@link Execution}: what the CLI prints, what MCP tools return, what the dashboard shows
 * and what the Neo4j audit trail stores (its node properties are picked from these keys), so every one of them
 * names and formats a field the same way.
 *
 * <p>Keys are snake_case. Values are only maps, lists, strings, numbers and booleans: timestamps are ISO-8601 text
 * ({@code 2026-01-02T03:04:05Z}), enum values their name ({@code SUCCEEDED}), durations both as text
 * ({@code duration}: {@code 1500ms}, {@code 2m}, as everywhere in Runbook) and in milliseconds ({@code duration_ms},
 * for sorting and averages). An absent optional value is an absent key, never {@code null}. The maps are
 * unmodifiable and keep the order documented below.
 *
 * <p>An execution ({@link #of}): {@code execution_id, status, runbook_id, runbook_version, incident_id, [refused_by],
 * [error], executed_by, [approval], started_at, finished_at, duration, duration_ms, incident, guard_decisions,
 * dry_run_steps, steps, rollback_steps, rollback_status, actions_taken, touched, notifications, [escalated_to]}.
 */
public final class ExecutionView {
    private ExecutionView() {
    }

    /**
     * The whole record. {@code refused_by} is the first guard that refused ({@link #guard}); {@code incident} is
     * {@code Incident.toMap()}; {@code rollback_status} is {@code none}, {@code succeeded} or {@code failed};
     * {@code touched} the keys of the resources the real run changed; {@code escalated_to} the id of the execution
     * this one handed the incident to.
     */
    public static Map<String, Object> of(Execution e) {
        var m = summaryMap(e);
        m.put("incident", plain(e.incident().toMap()));
        m.put("guard_decisions", e.guardDecisions().stream().map(ExecutionView::guard).toList());
        m.put("dry_run_steps", e.dryRunSteps().stream().map(ExecutionView::step).toList());
        m.put("steps", e.steps().stream().map(ExecutionView::step).toList());
        m.put("rollback_steps", e.rollbackSteps().stream().map(ExecutionView::step).toList());
        m.put("rollback_status", rollbackStatus(e));
        m.put("actions_taken", e.actionsTaken());
        m.put("touched", keys(e.touched()));
        m.put("notifications", e.notifications().stream().map(ExecutionView::notification).toList());
        e.escalatedTo().ifPresent(next -> m.put("escalated_to", next.id()));
        return Collections.unmodifiableMap(m);
    }

    /**
     * The headline fields only, for a list of executions: {@code execution_id, status, runbook_id, runbook_version,
     * incident_id, [refused_by], [error], executed_by, [approval], started_at, finished_at, duration, duration_ms},
     * formatted as in {@link #of}.
     */
    public static Map<String, Object> summary(Execution e) {
        return Collections.unmodifiableMap(summaryMap(e));
    }

    private static LinkedHashMap<String, Object> summaryMap(Execution e) {
        var m = new LinkedHashMap<String, Object>();
        m.put("execution_id", e.id());
        m.put("status", e.status().name());
        m.put("runbook_id", e.runbookId());
        m.put("runbook_version", e.runbookVersion());
        m.put("incident_id", e.incidentId());
        e.denial().ifPresent(d -> m.put("refused_by", guard(d)));
        e.error().ifPresent(err -> m.put("error", err));
        m.put("executed_by", e.executedBy());
        e.approval().ifPresent(a -> m.put("approval", approval(a)));
        m.put("started_at", e.startedAt().toString());
        m.put("finished_at", e.finishedAt().toString());
        m.put("duration", Durations.human(e.duration()));
        m.put("duration_ms", e.duration().toMillis());
        return m;
    }

    /**
     * One step: {@code name, action, status, dry_run, params} (rendered, secrets already masked by the engine),
     * {@code [output], [error], attempts, touched} (resource keys), {@code summary, started_at, finished_at,
     * duration, duration_ms}.
     */
    public static Map<String, Object> step(StepResult s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", s.name());
        m.put("action", s.action());
        m.put("status", s.status().name());
        m.put("dry_run", s.dryRun());
        m.put("params", plain(s.params()));
        s.output().ifPresent(o -> m.put("output", plain(o)));
        s.error().ifPresent(err -> m.put("error", err));
        m.put("attempts", s.attempts());
        m.put("touched", keys(s.touched()));
        m.put("summary", s.summary());
        m.put("started_at", s.startedAt().toString());
        m.put("finished_at", s.finishedAt().toString());
        m.put("duration", Durations.human(s.duration()));
        m.put("duration_ms", s.duration().toMillis());
        return Collections.unmodifiableMap(m);
    }

    /** One guard's decision: {@code guard, allowed, reason}. */
    public static Map<String, Object> guard(GuardDecision d) {
        var m = new LinkedHashMap<String, Object>();
        m.put("guard", d.guard());
        m.put("allowed", d.allowed());
        m.put("reason", d.reason());
        return Collections.unmodifiableMap(m);
    }

    /** An approval decision: {@code approved, approver, reason, decided_at}. */
    public static Map<String, Object> approval(ApprovalDecision a) {
        var m = new LinkedHashMap<String, Object>();
        m.put("approved", a.approved());
        m.put("approver", a.approver());
        m.put("reason", a.reason());
        m.put("decided_at", a.decidedAt().toString());
        return Collections.unmodifiableMap(m);
    }

    /** A notification: {@code channel, message, sent, [error]}. */
    public static Map<String, Object> notification(NotificationResult n) {
        var m = new LinkedHashMap<String, Object>();
        m.put("channel", n.channel());
        m.put("message", n.message());
        m.put("sent", n.sent());
        n.error().ifPresent(err -> m.put("error", err));
        return Collections.unmodifiableMap(m);
    }

    /**
     * {@code none} when no rollback ran, {@code succeeded} when no rollback step failed, else {@code failed}.
     */
    public static String rollbackStatus(Execution e) {
        if (e.rollbackSteps().isEmpty()) {
            return "none";
        }
        return e.rollbackSteps().stream().allMatch(s -> s.status() != StepStatus.FAILED) ? "succeeded" : "failed";
    }

    /**
     * A JSON-ready copy of an action's params or output: maps (keys as text) and collections are copied, an
     * {@link Optional} becomes its value, a {@link Duration} its {@code Durations} text, a date or time its ISO-8601
     * text, other values but text, numbers and booleans their {@code toString()}. A {@code null} inside the data is
     * kept (an output may hold one); a {@code null} or empty {@code Optional} at the top stays {@code null}.
     */
    public static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Optional<?> o) {
            return o.map(ExecutionView::plain).orElse(null);
        }
        if (v instanceof Duration d) {
            return Durations.human(d);
        }
        if (v instanceof TemporalAccessor) {
            return v.toString();
        }
        if (v instanceof Map<?, ?> m) {
            var out = new LinkedHashMap<String, Object>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof Collection<?> c) {
            var out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(plain(x)));
            return Collections.unmodifiableList(out);
        }
        return v.toString();
    }

    private static List<String> keys(List<TouchedResource> touched) {
        return touched.stream().map(TouchedResource::key).toList();
    }
}
