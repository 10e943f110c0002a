package dev.runbook.core.backtest;

import dev.runbook.core.backtest.internal.HtmlReport;
import dev.runbook.core.backtest.internal.JsonReport;
import dev.runbook.core.backtest.internal.TableReport;
import dev.runbook.core.guard.Guard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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

    /**
     * One line per runbook of the library (and any other runbook the audit recorded), library order first. One pass
     * over the decisions, so a long history against a large library costs their sum, not their product.
     */
    public List<RunbookSummary> perRunbook() {
        var tallies = new LinkedHashMap<String, Tally>();
        runbookIds.forEach(id -> tallies.put(id, new Tally()));
        decisions.forEach(d -> d.recorded().stream().filter(RecordedExecution::ran)
                .forEach(r -> tallies.computeIfAbsent(r.runbookId(), k -> new Tally())));
        var touched = new HashSet<Tally>();
        var ranHere = new HashSet<Tally>();
        for (BacktestDecision d : decisions) {
            touched.clear();
            ranHere.clear();
            d.runbookId().map(tallies::get).ifPresent(t -> {
                touched.add(t);
                t.matched++;
                if (d.outcome() == BacktestOutcome.WOULD_RUN) {
                    t.run++;
                } else if (d.outcome() == BacktestOutcome.WOULD_DENY) {
                    t.deny++;
                    d.deniedBy().ifPresent(g -> t.by.merge(g, 1L, Long::sum));
                }
            });
            for (RecordedExecution r : d.recorded()) {
                if (r.ran() && ranHere.add(tallies.get(r.runbookId()))) {
                    tallies.get(r.runbookId()).ran++;
                }
            }
            touched.addAll(ranHere);
            if (d.comparison() == Comparison.DIFFERENT) {
                touched.forEach(t -> t.diff++);
            }
        }
        var out = new ArrayList<RunbookSummary>(tallies.size());
        tallies.forEach((id, t) -> {
            Map<String, Long> by = new LinkedHashMap<>();
            for (Guard g : Guard.values()) {
                Long n = t.by.get(g.id());
                if (n != null) {
                    by.put(g.id(), n);
                }
            }
            t.by.forEach(by::putIfAbsent);
            out.add(new RunbookSummary(id, t.matched, t.run, t.deny, by, t.ran, t.diff));
        });
        return out;
    }

    /** One runbook's counts while {@link #perRunbook} passes over the decisions. */
    private static final class Tally {
        long matched;
        long run;
        long deny;
        long ran;
        long diff;
        final Map<String, Long> by = new LinkedHashMap<>();
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
