package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import dev.runbook.dsl.Diagnostic;
import dev.runbook.dsl.LoadResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code runbook validate PATH...}: every problem of every file as {@code file:line:col: message}. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks runbook files and folders (recursively, every runbook file type the loader knows: *.yaml, *.yml, ...) against the actions on "
                + "the class path and in --plugins.",
                "Prints every problem as file:line:col: message; exit 0 when there is none, 1 otherwise."})
public final class ValidateCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "runbook files or folders")
    List<Path> paths;

    public ValidateCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    int run(Plugins plugins) {
        LoadResult result = Library.load(paths, plugins.registry(), true);
        PrintWriter out = out();
        if (common.json()) {
            out.println(JsonOut.write(JsonOut.obj(
                    "ok", result.ok(),
                    "runbooks", JsonOut.list(result.runbooks(), r -> JsonOut.obj("id", r.runbook().id(), "file", r.file())),
                    "problems", JsonOut.list(result.diagnostics(), Library::diagnosticJson))));
        } else {
            // Problems are the result of this command, so they go to stdout where editors and scripts read them.
            for (Diagnostic d : result.diagnostics()) {
                out.println(TerminalText.escape(d.toString()));
            }
            if (result.ok()) {
                out.println(TerminalText.escape("ok: " + result.runbooks().size() + " runbook(s) valid"));
            }
        }
        out.flush();
        return result.ok() ? RunbookCli.EXIT_OK : RunbookCli.EXIT_PROBLEMS;
    }
}
