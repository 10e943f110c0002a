package dev.runbook.core.action;

/** The type of an action parameter after rendering. */
public enum ParamType {
    /** Text. Numbers and booleans are accepted and turned into text. */
    STRING,
    /** A whole number; numeric text is accepted. */
    INTEGER,
    /** Any number; numeric text is accepted. */
    NUMBER,
    /** {@code true} or {@code false} (also as text). */
    BOOLEAN,
    /** A duration: a number of seconds ({@code 300}), or text such as {@code 30s}, {@code 5m}, {@code 1h}, {@code 250ms}, {@code PT5M}. */
    DURATION,
    /** A map (for instance a patch parsed from a YAML block scalar). */
    MAP,
    /** A list. */
    LIST,
    /** Anything. */
    ANY
}
