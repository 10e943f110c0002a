package dev.runbook.core.backtest;

import dev.runbook.core.backtest.internal.HtmlReport;
import dev.runbook.core.backtest.internal.JsonReport;
import dev.runbook.core.backtest.internal.TableReport;
import dev.runbook.core.guard.Guard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a {@link Backtest}: one decision per historical incident, in event-time order, and its renderings.
 *
 * @param decisions     every incident's decision, in event-time order
 * @param runbookIds    the library's runbook ids, in the order the summary lists them
 * @param executionTime the assumed length of a run (how long its dedupe locks were held)
 */
public record BacktestReport(List<BacktestDecision> decisions, List<String> runbookIds, Duration executionTime) {
    public BacktestReport {
        decisions = List.copyOf(decisions);
        runbookIds = List.copyOf(runbookIds);
        Objects.requireNonNull(executionTime, "executionTime");
    }

    /** How many incidents had this outcome. */
    public long count(BacktestOutcome outcome) {
        return decisions.stream().filter(d -> d.outcome() == outcome).count();
    }

    /** How many incidents compare this way with the audit. */
    public long count(Comparison comparison) {
        return decisions.stream().filter(d -> d.comparison() == comparison).count();
    }

    /** One line per runbook of the library (and any other runbook the audit recorded), library order first. */
    public List<RunbookSummary> perRunbook() {
        var ids = new java.util.LinkedHashSet<>(runbookIds);
        decisions.forEach(d -> d.recorded().stream().filter(RecordedExecution::ran)
                .forEach(r -> ids.add(r.runbookId())));
        var out = new ArrayList<RunbookSummary>();
        for (String id : ids) {
            long matched = 0;
            long run = 0;
            long deny = 0;
            long ran = 0;
            long diff = 0;
            Map<String, Long> by = new LinkedHashMap<>();
            for (Guard g : Guard.values()) {
                by.put(g.id(), 0L);
            }
            for (BacktestDecision d : decisions) {
                boolean mine = d.runbookId().map(id::equals).orElse(false);
                boolean ranMine = d.recorded().stream().anyMatch(r -> r.ran() && r.runbookId().equals(id));
                if (mine) {
                    matched++;
                    if (d.outcome() == BacktestOutcome.WOULD_RUN) {
                        run++;
                    } else if (d.outcome() == BacktestOutcome.WOULD_DENY) {
                        deny++;
                        d.deniedBy().ifPresent(g -> by.merge(g, 1L, Long::sum));
                    }
                }
                if (ranMine) {
                    ran++;
                }
                if ((mine || ranMine) && d.comparison() == Comparison.DIFFERENT) {
                    diff++;
                }
            }
            by.values().removeIf(n -> n == 0);
            out.add(new RunbookSummary(id, matched, run, deny, by, ran, diff));
        }
        return out;
    }

    /** The summary as a plain-text table, then the differences with the audit, one line each. */
    public String table() {
        return TableReport.render(this);
    }

    /** The whole report as JSON: the summary and every decision. */
    public String json() {
        return JsonReport.render(this);
    }

    /**
     * A self-contained HTML page (inline CSS and an inline SVG timeline of incidents, would-run and would-deny per
     * runbook; nothing loaded from the network). Every text from an incident is escaped.
     */
    public String html() {
        return HtmlReport.render(this);
    }
}
