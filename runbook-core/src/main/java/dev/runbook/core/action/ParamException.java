package dev.runbook.core.action;

import java.util.List;

/** Parameters that do not fit an action's schema; carries every problem, not just the first. */
public class ParamException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public ParamException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one line each. */
    public List<String> problems() {
        return problems;
    }
}
