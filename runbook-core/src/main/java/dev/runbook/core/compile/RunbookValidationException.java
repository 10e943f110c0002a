package dev.runbook.core.compile;

import java.util.List;

/** Runbooks that cannot run; carries every problem found, not just the first. */
public class RunbookValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public RunbookValidationException(List<Problem> problems) {
        super(problems.size() + " problem(s) in runbooks:\n  " + String.join("\n  ",
                problems.stream().map(Problem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found. */
    public List<Problem> problems() {
        return problems;
    }
}
