package dev.runbook.core.backtest.internal;

import static dev.runbook.core.internal.Durations.human;

import dev.runbook.core.backtest.BacktestDecision;
import dev.runbook.core.backtest.BacktestOutcome;
import dev.runbook.core.backtest.BacktestReport;
import dev.runbook.core.backtest.Comparison;
import dev.runbook.core.backtest.RecordedExecution;
import dev.runbook.core.backtest.RunbookSummary;
import dev.runbook.core.guard.GuardDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The backtest report as one self-contained HTML page: inline CSS, an inline SVG timeline (one lane for all
 * incidents, one per runbook with its would-run and would-deny, one for incidents matching nothing), the summary
 * and the decisions. No script and nothing from the network. Every text is escaped: incident fields are untrusted.
 */
public final class HtmlReport {
    /** Decision rows shown in the table; the chart and summary always cover every incident. */
    static final int MAX_ROWS = 2000;
    private static final int WIDTH = 960;
    private static final int LABEL = 210;
    private static final int RIGHT = 20;
    private static final int LANE = 30;
    private static final int TOP = 28;
    private static final String RUN = "#2e7d32";
    private static final String DENY = "#c62828";
    private static final String NONE = "#9e9e9e";
    private static final String ALL = "#1565c0";
    private static final String DIFF = "#f9a825";

    private HtmlReport() {
    }

    /** The page. */
    public static String render(BacktestReport r) {
        var sb = new StringBuilder(8192);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>Runbook backtest</title>\n<style>\n")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212121;background:#fff}\n")
                .append("h1{font-size:20px}h2{font-size:16px;margin-top:28px}\n")
                .append("table{border-collapse:collapse;margin-top:8px}td,th{border:1px solid #ddd;padding:3px 8px;")
                .append("text-align:left;vertical-align:top}th{background:#f5f5f5}td.n{text-align:right}\n")
                .append(".would_run{color:").append(RUN).append("}.would_deny{color:").append(DENY)
                .append("}.no_match{color:#616161}.different{background:#fff8e1}\n")
                .append("svg text{font:11px system-ui,sans-serif;fill:#424242}\n")
                .append("</style></head><body>\n<h1>Runbook backtest</h1>\n");
        List<BacktestDecision> ds = r.decisions();
        sb.append("<p>").append(ds.size()).append(" incident(s)");
        if (!ds.isEmpty()) {
            sb.append(" from ").append(esc(ds.get(0).eventTime().toString())).append(" to ")
                    .append(esc(ds.get(ds.size() - 1).eventTime().toString()));
        }
        sb.append(". Would run <b>").append(r.count(BacktestOutcome.WOULD_RUN)).append("</b>, would be denied <b>")
                .append(r.count(BacktestOutcome.WOULD_DENY)).append("</b>, no match <b>")
                .append(r.count(BacktestOutcome.NO_MATCH)).append("</b>. Against the audit: same ")
                .append(r.count(Comparison.SAME)).append(", different <b>").append(r.count(Comparison.DIFFERENT))
                .append("</b>, not recorded ").append(r.count(Comparison.NOT_RECORDED))
                .append(". Each run is assumed to last ").append(esc(human(r.executionTime())))
                .append("; dry run, blast radius, target locks and approval are not replayed.</p>\n");
        List<RunbookSummary> summaries = r.perRunbook();
        timeline(sb, ds, summaries);
        summary(sb, r, summaries);
        decisions(sb, ds);
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void timeline(StringBuilder sb, List<BacktestDecision> ds, List<RunbookSummary> summaries) {
        var lanes = new ArrayList<String>();
        lanes.add("all incidents");
        summaries.forEach(s -> lanes.add(s.runbookId()));
        int noMatchLane = lanes.size();
        lanes.add("no match");
        int height = TOP + lanes.size() * LANE + 24;
        int plot = WIDTH - LABEL - RIGHT;
        Instant t0 = ds.isEmpty() ? Instant.EPOCH : ds.get(0).eventTime();
        Instant t1 = ds.isEmpty() ? Instant.EPOCH : ds.get(ds.size() - 1).eventTime();
        double span = Math.max(1, Duration.between(t0, t1).toMillis());
        sb.append("<h2>Timeline</h2>\n<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"incidents, would-run and would-deny per runbook over time\">\n")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" fill=\"#fff\"/>\n");
        for (int i = 0; i < 3; i++) {
            Instant t = t0.plusMillis(Math.round(span * i / 2));
            int x = LABEL + plot * i / 2;
            String anchor = i == 0 ? "start" : i == 1 ? "middle" : "end";
            sb.append("<text x=\"").append(x).append("\" y=\"16\" text-anchor=\"").append(anchor).append("\">")
                    .append(esc(t.toString())).append("</text>\n");
        }
        for (int i = 0; i < lanes.size(); i++) {
            int y = TOP + i * LANE + LANE / 2;
            sb.append("<text x=\"4\" y=\"").append(y + 4).append("\">").append(esc(shorten(lanes.get(i))))
                    .append("</text>\n<line x1=\"").append(LABEL).append("\" y1=\"").append(y).append("\" x2=\"")
                    .append(WIDTH - RIGHT).append("\" y2=\"").append(y).append("\" stroke=\"#e0e0e0\"/>\n");
        }
        for (BacktestDecision d : ds) {
            double x = LABEL + plot * (ds.size() == 1 ? 0.5 : Duration.between(t0, d.eventTime()).toMillis() / span);
            String title = "<title>" + esc(d.eventTime() + " " + d.incidentId() + ": " + outcomeText(d)
                    + d.difference().map(s -> "; audit: " + s).orElse("")) + "</title>";
            int yAll = TOP + LANE / 2;
            sb.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(yAll - 8).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(yAll + 8).append("\" stroke=\"").append(ALL).append("\" stroke-width=\"2\">")
                    .append(title).append("</line>\n");
            int lane = d.runbookId().map(id -> 1 + indexOf(summaries, id)).orElse(noMatchLane);
            int y = TOP + lane * LANE + LANE / 2;
            String stroke = d.comparison() == Comparison.DIFFERENT ? "\" stroke=\"" + DIFF + "\" stroke-width=\"2" : "";
            switch (d.outcome()) {
                case WOULD_RUN -> sb.append("<circle class=\"would_run\" cx=\"").append(fmt(x)).append("\" cy=\"").append(y)
                        .append("\" r=\"5\" fill=\"").append(RUN).append(stroke).append("\">").append(title)
                        .append("</circle>\n");
                case WOULD_DENY -> sb.append("<rect class=\"would_deny\" x=\"").append(fmt(x - 5)).append("\" y=\"")
                        .append(y - 5).append("\" width=\"10\" height=\"10\" fill=\"").append(DENY).append(stroke)
                        .append("\">").append(title).append("</rect>\n");
                case NO_MATCH -> sb.append("<circle class=\"no_match\" cx=\"").append(fmt(x)).append("\" cy=\"").append(y)
                        .append("\" r=\"4\" fill=\"").append(NONE).append(stroke).append("\">").append(title)
                        .append("</circle>\n");
            }
        }
        int ly = height - 8;
        legend(sb, LABEL, ly, "<circle cx=\"" + LABEL + "\" cy=\"" + (ly - 4) + "\" r=\"5\" fill=\"" + RUN + "\"/>", "would run");
        legend(sb, LABEL + 110, ly, "<rect x=\"" + (LABEL + 105) + "\" y=\"" + (ly - 9) + "\" width=\"10\" height=\"10\" fill=\""
                + DENY + "\"/>", "would be denied");
        legend(sb, LABEL + 250, ly, "<circle cx=\"" + (LABEL + 250) + "\" cy=\"" + (ly - 4) + "\" r=\"4\" fill=\"" + NONE
                + "\"/>", "no match");
        legend(sb, LABEL + 360, ly, "<circle cx=\"" + (LABEL + 360) + "\" cy=\"" + (ly - 4) + "\" r=\"5\" fill=\"#fff\" stroke=\""
                + DIFF + "\" stroke-width=\"2\"/>", "differs from the audit");
        sb.append("</svg>\n");
    }

    private static void legend(StringBuilder sb, int x, int y, String mark, String text) {
        sb.append(mark).append("<text x=\"").append(x + 10).append("\" y=\"").append(y).append("\">").append(text)
                .append("</text>\n");
    }

    private static void summary(StringBuilder sb, BacktestReport r, List<RunbookSummary> summaries) {
        sb.append("<h2>Per runbook</h2>\n<table id=\"summary\"><tr><th>runbook</th><th>matched</th><th>would run</th>")
                .append("<th>would deny</th><th>denied by</th><th>ran (audit)</th><th>differences</th></tr>\n");
        for (RunbookSummary s : summaries) {
            var by = new ArrayList<String>();
            s.deniedBy().forEach((g, n) -> by.add(g + " " + n));
            sb.append("<tr><td>").append(esc(s.runbookId())).append("</td><td class=\"n\">").append(s.matched())
                    .append("</td><td class=\"n\">").append(s.wouldRun()).append("</td><td class=\"n\">")
                    .append(s.wouldDeny()).append("</td><td>").append(esc(String.join(", ", by)))
                    .append("</td><td class=\"n\">").append(s.recordedRuns()).append("</td><td class=\"n\">")
                    .append(s.differences()).append("</td></tr>\n");
        }
        sb.append("<tr><td>(no match)</td><td class=\"n\">").append(r.count(BacktestOutcome.NO_MATCH))
                .append("</td><td></td><td></td><td></td><td></td><td></td></tr>\n</table>\n");
    }

    private static void decisions(StringBuilder sb, List<BacktestDecision> ds) {
        sb.append("<h2>Decisions</h2>\n");
        if (ds.size() > MAX_ROWS) {
            sb.append("<p>The first ").append(MAX_ROWS).append(" of ").append(ds.size())
                    .append(" incidents; the JSON output has them all.</p>\n");
        }
        sb.append("<table id=\"decisions\"><tr><th>event time</th><th>incident</th><th>resource</th>")
                .append("<th>root cause / symptom</th><th>outcome</th><th>runbook</th><th>why</th><th>audit</th></tr>\n");
        for (BacktestDecision d : ds.subList(0, Math.min(MAX_ROWS, ds.size()))) {
            String cls = d.outcome().name().toLowerCase(Locale.ROOT);
            sb.append("<tr").append(d.comparison() == Comparison.DIFFERENT ? " class=\"different\"" : "").append("><td>")
                    .append(esc(d.eventTime().toString())).append("</td><td>").append(esc(d.incidentId()))
                    .append("</td><td>").append(esc(d.resourceKey())).append("</td><td>")
                    .append(esc(d.rootCauseReason())).append(" (")
                    .append(String.format(Locale.ROOT, "%.2f", d.rcaConfidence())).append(") / ")
                    .append(esc(d.symptomReason())).append("</td><td class=\"").append(cls).append("\">")
                    .append(esc(outcomeText(d))).append("</td><td>").append(esc(d.runbookId().orElse("")))
                    .append("</td><td>").append(esc(d.denial().map(GuardDecision::reason).map(x -> x + ". ").orElse("")
                            + d.matchExplanation())).append("</td><td>").append(esc(audit(d))).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String audit(BacktestDecision d) {
        return switch (d.comparison()) {
            case NOT_RECORDED -> "not recorded";
            case SAME -> "same: " + recorded(d.recorded());
            case DIFFERENT -> "different: " + d.difference().orElse("");
        };
    }

    private static String recorded(List<RecordedExecution> rs) {
        var parts = new ArrayList<String>();
        for (RecordedExecution x : rs) {
            parts.add(x.status().name().toLowerCase(Locale.ROOT) + (x.runbookId().isEmpty() ? "" : " " + x.runbookId()));
        }
        return String.join(", ", parts);
    }

    private static String outcomeText(BacktestDecision d) {
        return switch (d.outcome()) {
            case WOULD_RUN -> "would run";
            case WOULD_DENY -> "would be denied by " + d.deniedBy().orElse("?");
            case NO_MATCH -> "no match";
        };
    }

    private static int indexOf(List<RunbookSummary> summaries, String id) {
        for (int i = 0; i < summaries.size(); i++) {
            if (summaries.get(i).runbookId().equals(id)) {
                return i;
            }
        }
        return summaries.size(); // not reached: every chosen runbook has a summary line
    }

    private static String shorten(String s) {
        return s.length() <= 30 ? s : s.substring(0, 29) + "…";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Escapes text for HTML element content and quoted attributes. */
    public static String esc(String s) {
        var sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        sb.append("&#xFFFD;"); // control characters are not allowed in HTML text
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
