package dev.runbook.dsl.fluent;

import java.util.Objects;

/**
 * A runbook written with the Java DSL says something the model does not allow. The message names the runbook,
 * the place in it (the same paths as the compiler's problems: {@code steps[2].params.patch},
 * {@code steps[1].then[0]}, {@code rollback[0]}, {@code trigger}, {@code safety}) and what to change.
 */
public final class RunbookDefinitionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String runbookId;
    private final String path;
    private final String detail;

    /**
     * @param runbookId the runbook's id as given
     * @param path      where in the runbook, empty for the runbook itself
     * @param detail    what is wrong and how to fix it
     */
    public RunbookDefinitionException(String runbookId, String path, String detail) {
        super("runbook '" + runbookId + "'" + (path.isEmpty() ? "" : " at " + path) + ": " + detail);
        this.runbookId = Objects.requireNonNull(runbookId, "runbookId");
        this.path = Objects.requireNonNull(path, "path");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** The runbook's id as given. */
    public String runbookId() {
        return runbookId;
    }

    /** Where in the runbook, for instance {@code steps[2].params.patch}; empty for the runbook itself. */
    public String path() {
        return path;
    }

    /** What is wrong, without the location. */
    public String detail() {
        return detail;
    }
}
