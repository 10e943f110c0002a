package dev.runbook.dsl;

import dev.runbook.core.model.Runbook;
import java.util.List;

/**
 * What a load produced: every runbook that could be built (also those with semantic problems, so tools can
 * show them) and every problem of every file.
 *
 * @param runbooks    the runbooks, in file order
 * @param diagnostics every problem, errors and warnings, by file in load order, then by line and column
 */
public record LoadResult(List<LoadedRunbook> runbooks, List<Diagnostic> diagnostics) {
    public LoadResult {
        runbooks = List.copyOf(runbooks);
        diagnostics = List.copyOf(diagnostics);
    }

    /** Whether there is no error (warnings may remain: see {@link #warnings()}). */
    public boolean ok() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    /** The problems that stop a runbook from running. */
    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    /** The problems that need the host's attention but do not stop the runbooks (host parameters). */
    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }

    /**
     * The runbooks, when there is no error.
     *
     * @throws RunbookLoadException carrying every error otherwise
     */
    public List<Runbook> runbooksOrThrow() {
        if (!ok()) {
            throw new RunbookLoadException(errors());
        }
        return runbooks.stream().map(LoadedRunbook::runbook).toList();
    }
}
