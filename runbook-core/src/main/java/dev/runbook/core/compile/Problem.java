package dev.runbook.core.compile;

import java.util.Objects;

/**
 * One thing wrong with a runbook, located by the path of the offending field, for instance
 * {@code steps[2].params.nmae}. Loaders map the path back to a file, line and column.
 *
 * @param runbookId the runbook
 * @param path      the field, dotted, with {@code [i]} for list items; empty for the runbook as a whole
 * @param message   what is wrong and, where possible, how to fix it
 * @param severity  whether the runbook cannot run ({@link Severity#ERROR}) or only needs attention
 */
public record Problem(String runbookId, String path, String message, Severity severity) {
    /** How bad a problem is. */
    public enum Severity {
        /** The runbook cannot run. */
        ERROR,
        /**
         * The runbook can run once the host does its part: a variable nothing in the runbook defines must come from
         * the host as a host parameter.
         */
        WARNING
    }

    public Problem {
        Objects.requireNonNull(runbookId, "runbookId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(severity, "severity");
    }

    /** An error. */
    public Problem(String runbookId, String path, String message) {
        this(runbookId, path, message, Severity.ERROR);
    }

    /** Whether the runbook cannot run. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return runbookId + (path.isEmpty() ? "" : ":" + path) + ": " + (isError() ? "" : "warning: ") + message;
    }
}
