package dev.runbook.dsl;

import java.util.List;
import java.util.stream.Collectors;

/** Runbook files had problems; the message lists every one as {@code file:line:col: message}. */
public class RunbookLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Diagnostic> diagnostics;

    /** An exception carrying these diagnostics (at least one). */
    public RunbookLoadException(List<Diagnostic> diagnostics) {
        super(diagnostics.size() + " problem(s) in runbook files:\n"
                + diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Every problem. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
