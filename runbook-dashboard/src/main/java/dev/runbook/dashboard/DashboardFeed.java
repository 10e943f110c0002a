package dev.runbook.dashboard;

import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.ExecutionView;
import dev.runbook.core.engine.InMemoryExecutionStats;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.internal.Json;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.model.Incident;
import dev.runbook.dashboard.internal.EventRing;
import dev.runbook.dashboard.internal.History;
import dev.runbook.dashboard.internal.MemoryStats;
import dev.runbook.dashboard.internal.Views;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The engine's events as the dashboard shows them: register it as the engine's listener
 * ({@code RunbookEngine.builder().listener(feed)}) and give it to {@link DashboardServer}. It numbers every
 * event into a bounded ring (what the live page streams and a reconnecting page is replayed from) and keeps
 * the finished executions, bounded too. Each event costs a small JSON text on the execution's thread; nothing
 * blocks on a slow browser. Thread-safe.
 */
public final class DashboardFeed implements ExecutionListener {
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9.-]{0,39}");

    private final EventRing ring;
    private final History history;
    private final InMemoryExecutionStats stats = new InMemoryExecutionStats();
    private final StatsSource memoryStats;
    /** Executions whose rollback has started: their next steps are rollback steps. */
    private final Set<String> rollingBack = ConcurrentHashMap.newKeySet();

    private DashboardFeed(Builder b) {
        this.ring = new EventRing(b.eventBuffer);
        this.history = new History(b.historySize);
        this.memoryStats = new MemoryStats(stats, history);
    }

    /** A feed keeping 10,000 executions and the last 4,096 events. */
    public static DashboardFeed create() {
        return builder().build();
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Publishes a host event on the live page, for instance a Docker monitor's anomaly:
     * {@code feed.publish("anomaly", Map.of("container", "web", "kind", "MEMORY_SPIKE", "detail", "91%"))}.
     * The values are shown as text.
     *
     * @param type lower-case letters, digits, {@code .} and {@code -}, starting with a letter, at most 40
     * @throws IllegalArgumentException for another type, or data JSON cannot carry
     */
    public void publish(String type, Map<String, ?> data) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (!TYPE.matcher(type).matches() || type.startsWith("execution") || type.equals("reset")) {
            throw new IllegalArgumentException("event type '" + type + "': use lower-case letters, digits, '.' and "
                    + "'-' (at most 40, starting with a letter), not execution* or reset; for instance 'anomaly'");
        }
        append(type, new LinkedHashMap<>(data));
    }

    @Override
    public void executionStarted(String executionId, Incident incident, MatchReport match) {
        var m = new LinkedHashMap<String, Object>();
        m.put("execution_id", executionId);
        m.put("incident", Views.incident(incident));
        m.put("runbook_id", match.best().map(r -> r.id()).orElse(""));
        // The chosen runbook's reasons only: explaining the whole library is left to the detail page.
        m.put("reasons", match.best().isEmpty() ? List.of()
                : match.matches().stream().findFirst().map(RunbookMatch::why).stream().toList());
        append("execution.started", m);
    }

    @Override
    public void guardDecided(String executionId, String runbookId, GuardDecision decision) {
        var m = base(executionId, runbookId);
        m.putAll(ExecutionView.guard(decision));
        append("guard", m);
    }

    @Override
    public void approvalRequested(ApprovalRequest request) {
        append("approval", Views.request(request));
    }

    @Override
    public void stepStarted(String executionId, String runbookId, StepResult.Start step) {
        var m = base(executionId, runbookId);
        m.put("name", step.name());
        m.put("action", step.action());
        m.put("phase", phase(executionId, step.dryRun()));
        append("step.started", m);
    }

    @Override
    public void stepFinished(String executionId, String runbookId, StepResult result) {
        var m = base(executionId, runbookId);
        m.putAll(Views.step(result));
        m.put("phase", phase(executionId, result.dryRun()));
        append("step.finished", m);
    }

    @Override
    public void rollbackStarted(String executionId, String runbookId, String reason) {
        rollingBack.add(executionId);
        var m = base(executionId, runbookId);
        m.put("reason", reason);
        append("rollback", m);
    }

    @Override
    public void executionFinished(Execution execution) {
        rollingBack.remove(execution.id());
        history.add(execution);
        stats.executionFinished(execution);
        var m = Views.summary(execution);
        m.put("notifications", execution.notifications().size());
        append("execution.finished", m);
    }

    EventRing ring() {
        return ring;
    }

    History history() {
        return history;
    }

    StatsSource memoryStats() {
        return memoryStats;
    }

    private String phase(String executionId, boolean dryRun) {
        return dryRun ? "dry-run" : rollingBack.contains(executionId) ? "rollback" : "run";
    }

    private static LinkedHashMap<String, Object> base(String executionId, String runbookId) {
        var m = new LinkedHashMap<String, Object>();
        m.put("execution_id", executionId);
        m.put("runbook_id", runbookId);
        return m;
    }

    private void append(String type, Map<String, Object> data) {
        data.put("type", type);
        ring.append(type, Json.write(data));
    }

    /** Sizes of what the feed keeps. */
    public static final class Builder {
        private int historySize = 10_000;
        private int eventBuffer = 4_096;

        private Builder() {
        }

        /** Finished executions kept for the history and the detail pages (default 10,000; 1 to 1,000,000). */
        public Builder historySize(int executions) {
            if (executions < 1 || executions > 1_000_000) {
                throw new IllegalArgumentException("historySize must be 1..1000000, got " + executions);
            }
            this.historySize = executions;
            return this;
        }

        /**
         * Events kept for a page that reconnects (default 4,096; 16 to 1,000,000): a page away for longer
         * reloads instead.
         */
        public Builder eventBuffer(int events) {
            if (events < 16 || events > 1_000_000) {
                throw new IllegalArgumentException("eventBuffer must be 16..1000000, got " + events);
            }
            this.eventBuffer = events;
            return this;
        }

        /** The feed. */
        public DashboardFeed build() {
            return new DashboardFeed(this);
        }
    }
}
