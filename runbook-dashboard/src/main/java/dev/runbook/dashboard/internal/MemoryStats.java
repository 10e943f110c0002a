package dev.runbook.dashboard.internal;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.InMemoryExecutionStats;
import dev.runbook.dashboard.Figures;
import dev.runbook.dashboard.StatsSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Figures without an audit trail: per runbook from core's {@link InMemoryExecutionStats} (every execution the
 * feed heard of), time to remediation and the per-root-cause figures from the executions the history keeps.
 */
public final class MemoryStats implements StatsSource {
    private final InMemoryExecutionStats stats;
    private final History history;

    public MemoryStats(InMemoryExecutionStats stats, History history) {
        this.stats = stats;
        this.history = history;
    }

    @Override
    public String description() {
        return "in memory, since the dashboard started";
    }

    @Override
    public List<Figures> perRunbook() {
        Map<String, Optional<Duration>> mttr = mttr(history.all(), Execution::runbookId);
        var out = new ArrayList<Figures>();
        stats.all().forEach((id, s) -> out.add(new Figures(id, s.executions(), s.succeeded(), s.denied(),
                s.successRate(), s.executions() == 0 ? Optional.empty() : Optional.of(s.meanDuration()),
                mttr.getOrDefault(id, Optional.empty()))));
        return List.copyOf(out);
    }

    @Override
    public List<Figures> perRootCause() {
        List<Execution> all = history.all();
        Map<String, Optional<Duration>> mttr = mttr(all, e -> e.incident().rootCauseReason());
        var acc = new TreeMap<String, long[]>(); // executions, succeeded, denied, total nanos
        for (Execution e : all) {
            if (e.runbookId().isEmpty() || e.status() == ExecutionStatus.PLANNED) {
                continue;
            }
            long[] a = acc.computeIfAbsent(e.incident().rootCauseReason(), k -> new long[4]);
            if (e.status() == ExecutionStatus.DENIED) {
                a[2]++;
                continue;
            }
            a[0]++;
            a[3] += e.duration().toNanos();
            if (succeeded(e)) {
                a[1]++;
            }
        }
        var out = new ArrayList<Figures>();
        acc.forEach((k, a) -> out.add(new Figures(k, a[0], a[1], a[2], a[0] == 0 ? 0.0 : (double) a[1] / a[0],
                a[0] == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(a[3] / a[0])),
                mttr.getOrDefault(k, Optional.empty()))));
        return List.copyOf(out);
    }

    private static boolean succeeded(Execution e) {
        return e.status() == ExecutionStatus.SUCCEEDED || e.status() == ExecutionStatus.RECOVERED_RESUMED;
    }

    /** Mean of end minus incident event time over succeeded executions that have one, by key. */
    private static Map<String, Optional<Duration>> mttr(List<Execution> all, Function<Execution, String> key) {
        var acc = new TreeMap<String, long[]>();
        for (Execution e : all) {
            if (!succeeded(e) || e.incident().eventTime().isEmpty()) {
                continue;
            }
            long[] a = acc.computeIfAbsent(key.apply(e), k -> new long[2]);
            a[0]++;
            a[1] += Duration.between(e.incident().eventTime().get(), e.finishedAt()).toNanos();
        }
        var out = new TreeMap<String, Optional<Duration>>();
        acc.forEach((k, a) -> out.put(k, Optional.of(Duration.ofNanos(a[1] / a[0]))));
        return out;
    }
}
