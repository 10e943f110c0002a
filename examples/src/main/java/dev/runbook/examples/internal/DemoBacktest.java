package dev.runbook.examples.internal;

import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.backtest.Backtest;
import dev.runbook.core.backtest.BacktestDecision;
import dev.runbook.core.backtest.BacktestReport;
import dev.runbook.core.backtest.Comparison;
import dev.runbook.core.backtest.HistoricalIncident;
import dev.runbook.core.model.Runbook;
import dev.runbook.neo4j.Neo4jIncidentHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.neo4j.driver.Driver;

/**
 * The demo's last chapter: a backtest of the runbook library on the demo's own RCA graph, compared with the audit
 * the engine just wrote. Prints the summary table and writes the HTML report.
 */
public final class DemoBacktest {
    private final Consumer<String> out;

    /** Prints through {@code out}, one line per call. */
    public DemoBacktest(Consumer<String> out) {
        this.out = out;
    }

    /**
     * Replays the graph's incidents since {@code since} against {@code runbooks}.
     *
     * @param ownIncidents the demo's incidents: each must compare the same as the audit
     * @return how many of them did not (the demo's surprises)
     */
    public int show(Driver driver, List<Runbook> runbooks, List<ActionProvider> providers, Map<String, Object> params,
                    Instant since, List<String> ownIncidents) throws IOException {
        out.accept("");
        out.accept("Backtest: the library replayed on the graph's incidents since " + since
                + " (simulated clock, no action called), against the audit:");
        var backtest = Backtest.builder().discoverActions(false).runbooks(runbooks);
        providers.forEach(backtest::actionProvider);
        params.forEach(backtest::parameter);
        BacktestReport report;
        try (Stream<HistoricalIncident> history = Neo4jIncidentHistory.builder().driver(driver).build().since(since)) {
            report = backtest.build().run(history);
        }
        report.table().lines().forEach(l -> out.accept("  " + l));
        Path target = Path.of("target");
        Path html = Files.isDirectory(target) ? target.resolve("backtest-report.html")
                : Files.createTempFile("runbook-backtest-", ".html");
        Files.writeString(html, report.html());
        out.accept("Backtest HTML report: " + html.toAbsolutePath());
        int surprises = 0;
        for (String id : ownIncidents) {
            var d = report.decisions().stream().filter(x -> x.incidentId().equals(id)).findFirst();
            if (d.isEmpty() || d.get().comparison() != Comparison.SAME) {
                out.accept("  surprise: " + id + " " + d.map(BacktestDecision::difference).flatMap(x -> x)
                        .orElse("not in the backtest"));
                surprises++;
            }
        }
        return surprises;
    }
}
