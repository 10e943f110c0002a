package dev.runbook.core.model;

import java.util.Objects;

/**
 * An incident map that {@link Incident#fromMap} refuses, naming the field and what is wrong with it, so that a
 * reader with positions (a JSON file) can point at the place and one without (a tool call) can quote the path.
 */
public final class IncidentFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The field's path ({@code resource.name}, {@code causal_chain[0].confidence}); empty for the whole map. */
    private final String field;
    /** What is wrong, without the field ({@code must be non-empty text, got 7}). */
    private final String problem;

    /**
     * A refusal.
     *
     * @param field   the field's path, empty for the incident as a whole (or for a field missing at the top)
     * @param problem what is wrong and, where possible, how to fix it
     */
    public IncidentFieldException(String field, String problem) {
        super("incident" + (Objects.requireNonNull(field, "field").isEmpty() ? "" : " field '" + field + "'") + ": "
                + Objects.requireNonNull(problem, "problem"));
        this.field = field;
        this.problem = problem;
    }

    /**
     * The field's path: dotted names and {@code [index]} for list elements; for a missing field, the object it is
     * missing from. Empty for the incident as a whole.
     *
     * @return the path
     */
    public String field() {
        return field;
    }

    /**
     * What is wrong, without the field's path.
     *
     * @return the problem
     */
    public String problem() {
        return problem;
    }
}
