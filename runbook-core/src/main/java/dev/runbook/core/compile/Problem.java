package dev.runbook.core.compile;

import java.util.Objects;

/**
 * One thing wrong with a runbook, located by the path of the offending field, for instance
 * {@code steps[2].params.nmae}. Loaders map the path back to a file, line and column.
 *
 * @param runbookId the runbook
 * @param path      the field, dotted, with {@code [i]} for list items; empty for the runbook as a whole
 * @param message   what is wrong and, where possible, how to fix it
 */
public record Problem(String runbookId, String path, String message) {
    public Problem {
        Objects.requireNonNull(runbookId, "runbookId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return runbookId + (path.isEmpty() ? "" : ":" + path) + ": " + message;
    }
}
