package dev.runbook.dsl;

import dev.runbook.core.model.Runbook;
import java.util.List;

/**
 * What a load produced: every runbook that could be built (also those with semantic problems, so tools can
 * show them) and every problem of every file.
 *
 * @param runbooks    the runbooks, in file order
 * @param diagnostics every problem, by file in load order, then by line and column
 */
public record LoadResult(List<LoadedRunbook> runbooks, List<Diagnostic> diagnostics) {
    public LoadResult {
        runbooks = List.copyOf(runbooks);
        diagnostics = List.copyOf(diagnostics);
    }

    /** Whether there is no problem at all. */
    public boolean ok() {
        return diagnostics.isEmpty();
    }

    /**
     * The runbooks, when there is no problem.
     *
     * @throws RunbookLoadException carrying every diagnostic otherwise
     */
    public List<Runbook> runbooksOrThrow() {
        if (!ok()) {
            throw new RunbookLoadException(diagnostics);
        }
        return runbooks.stream().map(LoadedRunbook::runbook).toList();
    }
}
