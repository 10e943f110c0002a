package dev.runbook.neo4j.internal;

import java.util.List;
import java.util.regex.Pattern;

/** Identifiers for Cypher text. Only validated names from configuration reach query text; values never do. */
public final class Cypher {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private Cypher() {
    }

    /**
     * Checks a label, relationship type or property name from configuration.
     *
     * @param what what it names, for the message ({@code episodic label})
     * @throws IllegalArgumentException naming the setting and the bad value
     */
    public static String identifier(String what, String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a valid Cypher name: use letters, "
                    + "digits and '_' (at most 64, not starting with a digit)");
        }
        return name;
    }

    /** The name in backticks (already validated, so it holds no backtick). */
    public static String quote(String name) {
        return "`" + name + "`";
    }

    /** Relationship types joined for a pattern: {@code `A`|`B`}. */
    public static String types(List<String> names) {
        return String.join("|", names.stream().map(Cypher::quote).toList());
    }
}
