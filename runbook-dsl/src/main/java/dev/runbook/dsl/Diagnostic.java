package dev.runbook.dsl;

import java.util.Objects;

/**
 * One problem of a runbook file, located by file, line and column (both 1-based).
 *
 * @param file     the file as it was given to the loader
 * @param line     1-based line
 * @param column   1-based column
 * @param message  what is wrong: the field, the offending value and how to fix it
 * @param severity whether the runbook cannot run, or only needs the host to do its part
 */
public record Diagnostic(String file, int line, int column, String message, Severity severity) {
    /** How bad a problem is. */
    public enum Severity {
        /** The runbook cannot run: {@link LoadResult#runbooksOrThrow()} refuses it. */
        ERROR,
        /**
         * The runbook loads, but needs something of the host: a variable nothing in it defines, which the engine must
         * be given (declare it with {@link RunbookLoader.Builder#hostParameters} to say the host supplies it).
         */
        WARNING
    }

    public Diagnostic {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(severity, "severity");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based, got " + line + ":" + column);
        }
    }

    /** An error. */
    public Diagnostic(String file, int line, int column, String message) {
        this(file, line, column, message, Severity.ERROR);
    }

    /** Whether the runbook cannot run. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:LINE:COL: message}, or {@code file:LINE:COL: warning: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (isError() ? "" : "warning: ") + message;
    }
}
