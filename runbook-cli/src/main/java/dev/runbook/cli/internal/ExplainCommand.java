package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.match.CriterionResult;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.match.RunbookMatcher;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.LoadedRunbook;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runbook explain --incident FILE PATH...}: which runbooks match and why each other one does not. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Shows which runbooks match an incident (best first) and, criterion by criterion, why each "
                + "other one does not.",
                "Only the files' structure and triggers are checked here (run validate for actions and templates), so "
                + "runbooks using actions that are not installed can still be explained.",
                "Exit 0 when at least one runbook matches, 1 when none does or a file has problems."})
public final class ExplainCommand extends BaseCommand {
    @Option(names = "--incident", required = true, paramLabel = "FILE", description = "the incident as JSON")
    Path incident;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "runbook files or folders")
    List<Path> paths;

    public ExplainCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    int run(Plugins plugins) {
        Incident inc = IncidentFile.read(incident);
        LoadResult loaded = Library.load(paths, plugins.registry(), false);
        if (!loaded.ok()) {
            return ProblemOutput.print(common, out(), loaded);
        }
        List<Runbook> runbooks = loaded.runbooks().stream().map(LoadedRunbook::runbook).toList();
        MatchReport report;
        try {
            report = RunbookMatcher.of(runbooks, ExpressionCompiler.standard()).explainAll(inc);
        } catch (IllegalArgumentException e) {
            throw new CliException(RunbookCli.EXIT_PROBLEMS, oneLine(e), e);
        }
        Map<String, String> files = Reports.files(loaded);
        PrintWriter out = out();
        if (common.json()) {
            out.println(JsonOut.write(JsonOut.obj("incident", inc.toMap(),
                    "matches", JsonOut.list(report.matches(), m -> Reports.matchJson(m, files)),
                    "rejected", JsonOut.list(report.rejected(), m -> Reports.matchJson(m, files)))));
        } else {
            out.println(TerminalText.escape(Reports.incidentLine(inc)));
            if (report.matches().isEmpty()) {
                out.println("no runbook matches");
            } else {
                out.println("matches (best first):");
                int n = 1;
                for (RunbookMatch m : report.matches()) {
                    out.println(TerminalText.escape("  " + n++ + ". " + m.runbook().id() + " ("
                            + files.get(m.runbook().id()) + ")"));
                    criteria(out, m);
                }
            }
            if (!report.rejected().isEmpty()) {
                out.println("does not match:");
                for (RunbookMatch m : report.rejected()) {
                    out.println(TerminalText.escape("  - " + m.runbook().id() + " (" + files.get(m.runbook().id())
                            + "): " + m.why()));
                    criteria(out, m);
                }
            }
        }
        out.flush();
        return report.matches().isEmpty() ? RunbookCli.EXIT_PROBLEMS : RunbookCli.EXIT_OK;
    }

    private static void criteria(PrintWriter out, RunbookMatch m) {
        for (CriterionResult c : m.criteria()) {
            out.println(TerminalText.escape("       " + c));
        }
    }
}
