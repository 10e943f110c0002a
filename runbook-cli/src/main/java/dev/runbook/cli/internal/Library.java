package dev.runbook.cli.internal;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.dsl.Diagnostic;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.RunbookLoader;
import java.nio.file.Path;
import java.util.List;

/** Loads the runbook files and folders given on the command line. */
final class Library {
    private Library() {
    }

    /**
     * Loads every file and folder as one library.
     *
     * @param full whether to check actions, params, templates and chaining too (false: structure and triggers only)
     */
    static LoadResult load(List<Path> paths, ActionRegistry registry, boolean full) {
        return RunbookLoader.builder().actions(registry).validate(full).build().load(paths);
    }

    static Object diagnosticJson(Diagnostic d) {
        return JsonOut.obj("file", d.file(), "line", d.line(), "column", d.column(), "message", d.message(),
                "severity", d.isError() ? "error" : "warning");
    }
}
