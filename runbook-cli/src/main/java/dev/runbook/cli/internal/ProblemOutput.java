package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import dev.runbook.dsl.Diagnostic;
import dev.runbook.dsl.LoadResult;
import java.io.PrintWriter;

/** Prints the problems of runbook files that stop explain or plan, as validate does. */
final class ProblemOutput {
    private ProblemOutput() {
    }

    /** Prints every problem and returns {@link RunbookCli#EXIT_PROBLEMS}. */
    static int print(CommonOptions common, PrintWriter out, LoadResult result) {
        if (common.json()) {
            out.println(JsonOut.write(JsonOut.obj("ok", false,
                    "problems", JsonOut.list(result.diagnostics(), Library::diagnosticJson))));
        } else {
            for (Diagnostic d : result.diagnostics()) {
                out.println(TerminalText.escape(d.toString()));
            }
        }
        out.flush();
        return RunbookCli.EXIT_PROBLEMS;
    }
}
