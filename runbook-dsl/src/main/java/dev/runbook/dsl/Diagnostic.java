package dev.runbook.dsl;

import java.util.Objects;

/**
 * One problem of a runbook file, located by file, line and column (both 1-based).
 *
 * @param file    the file as it was given to the loader
 * @param line    1-based line
 * @param column  1-based column
 * @param message what is wrong: the field, the offending value and how to fix it
 */
public record Diagnostic(String file, int line, int column, String message) {
    public Diagnostic {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based, got " + line + ":" + column);
        }
    }

    /** {@code file:LINE:COL: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
