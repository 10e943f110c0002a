package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ParamConversions;
import dev.runbook.core.backtest.Backtest;
import dev.runbook.core.backtest.BacktestReport;
import dev.runbook.core.compile.RunbookValidationException;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.LoadedRunbook;
import dev.runbook.neo4j.IncidentContextException;
import dev.runbook.neo4j.Neo4jIncidentHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neo4j.driver.Driver;
import org.neo4j.driver.exceptions.Neo4jException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook backtest --neo4j URI --since 30d RUNBOOK_DIR...}: replays the RCA graph's incident history against
 * a runbook library and compares with the audit. Reads only; calls no action.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replays the incidents of the RCA graph since a time, oldest first on a simulated clock, against "
                + "the runbooks: which runbook each would have matched and why, which guard (rate limits, cooldowns, "
                + "dedupe) would have refused it, and how that differs from what the audit trail recorded.",
                "Reads the graph only and calls no action. Dry run, blast radius, target locks and approval are not "
                + "replayed; each run is assumed to last --execution-time.",
                "Exit 0 when the report was written, 1 when a runbook file has problems, 2 for bad input or when "
                + "Neo4j cannot be read."})
public final class BacktestCommand extends BaseCommand {

    /** How the report is written. */
    enum Format { table, json, html }

    @Parameters(arity = "1..*", paramLabel = "RUNBOOK_DIR", description = "runbook files or folders")
    List<Path> paths;

    @Mixin
    Neo4jOptions neo4j;

    @Option(names = "--since", required = true, paramLabel = "WHEN",
            description = "how far back: 30d, 12h, 90m, 2w, an ISO-8601 duration (P30D) or an instant "
                    + "(2026-01-01T00:00:00Z)")
    String since;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or html (self-contained page with a timeline)")
    Format format = Format.table;

    @Option(names = "--output-file", paramLabel = "FILE", description = "write the report here instead of stdout")
    Path outputFile;

    @Option(names = "--execution-time", paramLabel = "DURATION", defaultValue = "1m",
            description = "how long each run is assumed to last, holding its dedupe locks (default 1m)")
    String executionTime;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a value for a runbook parameter")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--max-actions-per-hour", paramLabel = "N",
            description = "the engine's global limit of changing actions per hour, as the host sets it")
    Integer maxActionsPerHour;

    @Option(names = "--min-action-spacing", paramLabel = "DURATION",
            description = "the engine's global least time between changing executions, as the host sets it")
    String minActionSpacing;

    /** The clock {@code --since} counts back from; tests replace it. */
    static Clock clock = Clock.systemUTC();

    public BacktestCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    int run(Plugins plugins) {
        Instant from = since(since, clock.instant());
        Duration runLength = duration("--execution-time", executionTime);
        if (runLength.isZero()) {
            throw new CliException(RunbookCli.EXIT_USAGE, "--execution-time must be positive, got " + executionTime);
        }
        List<ActionProvider> providers = plugins.providers();
        LoadResult loaded = Library.load(paths, Plugins.registry(providers), true);
        if (!loaded.ok()) {
            return ProblemOutput.print(common, out(), loaded);
        }
        var backtest = Backtest.builder().discoverActions(false).executionTime(runLength)
                .runbooks(loaded.runbooks().stream().map(LoadedRunbook::runbook).toList());
        // the backtest never calls an action; stand-ins make sure of it
        providers.forEach(p -> backtest.actionProvider(NotCalled.wrap(p)));
        params.forEach(backtest::parameter);
        try {
            if (maxActionsPerHour != null) {
                backtest.maxActionsPerHour(maxActionsPerHour);
            }
            if (minActionSpacing != null) {
                backtest.minActionSpacing(duration("--min-action-spacing", minActionSpacing));
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(RunbookCli.EXIT_USAGE, oneLine(e), e);
        }
        BacktestReport report;
        try (Driver driver = neo4j.connect(env, "read the incident history from")) {
            var history = Neo4jIncidentHistory.builder().driver(driver);
            neo4j.database().ifPresent(history::database);
            try (Stream<dev.runbook.core.backtest.HistoricalIncident> incidents = history.build().since(from)) {
                report = backtest.build().run(incidents);
            }
        } catch (RunbookValidationException e) {
            throw new CliException(RunbookCli.EXIT_PROBLEMS, oneLine(e), e);
        } catch (Neo4jException | IllegalArgumentException | IncidentContextException e) {
            throw new CliException(RunbookCli.EXIT_USAGE, "cannot read the incident history: " + oneLine(e), e);
        }
        String text = switch (format) {
            case table -> report.table();
            case json -> report.json() + "\n";
            case html -> report.html();
        };
        if (outputFile == null) {
            // the table escapes control characters itself; JSON and HTML escape everything from incidents
            out().print(text);
        } else {
            try {
                Files.writeString(outputFile, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException(RunbookCli.EXIT_USAGE, "cannot write " + outputFile + ": " + oneLine(e), e);
            }
            out().println(TerminalText.escape("wrote the " + format + " report of " + report.decisions().size()
                    + " incident(s) since " + from + " to " + outputFile));
        }
        out().flush();
        return RunbookCli.EXIT_OK;
    }


    /** {@code --since}: a duration back from now, or an instant. */
    static Instant since(String text, Instant now) {
        String t = text.strip();
        if (t.length() > 10 && Character.isDigit(t.charAt(0)) && t.contains("T")) {
            try {
                Instant at = Instant.parse(t);
                if (at.isAfter(now)) {
                    throw new CliException(RunbookCli.EXIT_USAGE, "--since " + t + " is in the future (now is " + now
                            + ")");
                }
                return at;
            } catch (DateTimeParseException e) {
                throw new CliException(RunbookCli.EXIT_USAGE, "--since '" + t + "' is not an instant such as "
                        + "2026-01-01T00:00:00Z: " + e.getMessage(), e);
            }
        }
        Duration d = duration("--since", t);
        if (d.isZero()) {
            throw new CliException(RunbookCli.EXIT_USAGE, "--since must reach back some time, got " + t);
        }
        return now.minus(d);
    }

    /** 30d, 12h, 90m, 45s, 250ms, 2w or an ISO-8601 duration, read as runbooks read durations. */
    static Duration duration(String option, String text) {
        Duration d;
        try {
            d = ParamConversions.toDuration(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(RunbookCli.EXIT_USAGE, option + " '" + text.strip() + "' is not a duration: give one "
                    + "such as 30d, 12h, 90m, 45s or 2w, or an ISO-8601 duration such as P30D"
                    + ("--since".equals(option) ? ", or an instant such as 2026-01-01T00:00:00Z" : ""), e);
        }
        if (d.isNegative()) {
            throw new CliException(RunbookCli.EXIT_USAGE, option + " must not be negative, got " + text.strip());
        }
        return d;
    }
}
