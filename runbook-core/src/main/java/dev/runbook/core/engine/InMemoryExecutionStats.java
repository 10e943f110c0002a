package dev.runbook.core.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ExecutionListener} that keeps success rate and duration per runbook in memory: for a
 * metrics endpoint or a test. Thread-safe.
 */
public final class InMemoryExecutionStats implements ExecutionListener {

    /**
     * Figures for one runbook.
     *
     * @param runbookId    the runbook
     * @param executions   executions that ran steps (not denied, not planned)
     * @param succeeded    of those, how many succeeded
     * @param rolledBack   failed and rolled back
     * @param failed       failed without (complete) rollback, or cancelled
     * @param denied       refused by a guard
     * @param successRate  succeeded / executions, 0 when none ran
     * @param meanDuration mean duration of the executions that ran
     */
    public record RunbookStats(String runbookId, long executions, long succeeded, long rolledBack, long failed,
                               long denied, double successRate, Duration meanDuration) {
    }

    private static final class Acc {
        long executions;
        long succeeded;
        long rolledBack;
        long failed;
        long denied;
        long totalNanos;
    }

    private final Map<String, Acc> byRunbook = new ConcurrentHashMap<>();

    @Override
    public void executionFinished(Execution e) {
        if (e.runbookId().isEmpty() || e.status() == ExecutionStatus.PLANNED) {
            return;
        }
        Acc acc = byRunbook.computeIfAbsent(e.runbookId(), k -> new Acc());
        synchronized (acc) {
            switch (e.status()) {
                case DENIED -> acc.denied++;
                case SUCCEEDED, RECOVERED_RESUMED -> {
                    acc.executions++;
                    acc.succeeded++;
                    acc.totalNanos += e.duration().toNanos();
                }
                case ROLLED_BACK -> {
                    acc.executions++;
                    acc.rolledBack++;
                    acc.totalNanos += e.duration().toNanos();
                }
                default -> {
                    acc.executions++;
                    acc.failed++;
                    acc.totalNanos += e.duration().toNanos();
                }
            }
        }
    }

    /** Figures for one runbook, if it has been handled. */
    public Optional<RunbookStats> stats(String runbookId) {
        Acc acc = byRunbook.get(runbookId);
        if (acc == null) {
            return Optional.empty();
        }
        synchronized (acc) {
            double rate = acc.executions == 0 ? 0.0 : (double) acc.succeeded / acc.executions;
            Duration mean = acc.executions == 0 ? Duration.ZERO : Duration.ofNanos(acc.totalNanos / acc.executions);
            return Optional.of(new RunbookStats(runbookId, acc.executions, acc.succeeded, acc.rolledBack, acc.failed,
                    acc.denied, rate, mean));
        }
    }

    /** Figures for every runbook handled, by id. */
    public Map<String, RunbookStats> all() {
        var out = new TreeMap<String, RunbookStats>();
        byRunbook.keySet().forEach(id -> stats(id).ifPresent(s -> out.put(id, s)));
        return out;
    }
}
