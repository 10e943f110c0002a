package dev.runbook.core.backtest.internal;

import static dev.runbook.core.internal.Durations.human;

import dev.runbook.core.backtest.BacktestDecision;
import dev.runbook.core.backtest.BacktestOutcome;
import dev.runbook.core.backtest.BacktestReport;
import dev.runbook.core.backtest.Comparison;
import dev.runbook.core.backtest.RunbookSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The backtest summary as a plain-text table. Control characters from incidents are shown escaped. */
public final class TableReport {
    private TableReport() {
    }

    /** The table, then one line per difference with the audit. */
    public static String render(BacktestReport r) {
        var sb = new StringBuilder();
        List<BacktestDecision> ds = r.decisions();
        sb.append("backtest of ").append(ds.size()).append(" incident(s)");
        if (!ds.isEmpty()) {
            sb.append(" from ").append(ds.get(0).eventTime()).append(" to ").append(ds.get(ds.size() - 1).eventTime());
        }
        sb.append("; each run assumed to last ").append(human(r.executionTime())).append('\n');
        sb.append("would run ").append(r.count(BacktestOutcome.WOULD_RUN)).append(", would be denied ")
                .append(r.count(BacktestOutcome.WOULD_DENY)).append(", no match ")
                .append(r.count(BacktestOutcome.NO_MATCH)).append("; against the audit: same ")
                .append(r.count(Comparison.SAME)).append(", different ").append(r.count(Comparison.DIFFERENT))
                .append(", not recorded ").append(r.count(Comparison.NOT_RECORDED)).append("\n\n");
        var rows = new ArrayList<String[]>();
        rows.add(new String[] {"runbook", "matched", "would run", "would deny", "denied by", "ran (audit)", "differences"});
        for (RunbookSummary s : r.perRunbook()) {
            rows.add(new String[] {clean(s.runbookId()), n(s.matched()), n(s.wouldRun()), n(s.wouldDeny()),
                deniedBy(s.deniedBy()), n(s.recordedRuns()), n(s.differences())});
        }
        rows.add(new String[] {"(no match)", n(r.count(BacktestOutcome.NO_MATCH)), "", "", "", "", ""});
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (int k = 0; k < rows.size(); k++) {
            String[] row = rows.get(k);
            var line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // names left, numbers right
                line.append(i == 0 || i == 4 ? pad(row[i], widths[i], false) : pad(row[i], widths[i], true));
                line.append(i + 1 < row.length ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (k == 0) {
                int total = 0;
                for (int w : widths) {
                    total += w + 2;
                }
                sb.append("-".repeat(total - 2)).append('\n');
            }
        }
        List<BacktestDecision> diffs = ds.stream().filter(d -> d.comparison() == Comparison.DIFFERENT).toList();
        if (!diffs.isEmpty()) {
            sb.append("\ndifferences with the audit:\n");
            for (BacktestDecision d : diffs) {
                sb.append("  ").append(d.eventTime()).append(' ').append(clean(d.incidentId())).append(": ")
                        .append(clean(d.difference().orElse(""))).append('\n');
            }
        }
        return sb.toString();
    }

    private static String deniedBy(Map<String, Long> by) {
        var parts = new ArrayList<String>();
        by.forEach((g, n) -> parts.add(g + " " + n));
        return String.join(", ", parts);
    }

    private static String n(long v) {
        return Long.toString(v);
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }

    /** Untrusted text on one terminal line: control characters (escape sequences, newlines) become visible escapes. */
    static String clean(String s) {
        var sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0x202E) {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
