package dev.runbook.neo4j.internal;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a ServiceLoader-created provider finds Neo4j: system properties {@code runbook.neo4j.uri},
 * {@code .user}, {@code .password}, {@code .database}, else environment variables {@code RUNBOOK_NEO4J_URI},
 * {@code _USER}, {@code _PASSWORD}, {@code _DATABASE}.
 *
 * @param uri      Bolt URI, empty when unconfigured
 * @param user     user name, empty for no authentication
 * @param password password
 * @param database database name, empty for the server's default
 */
public record ConnectionSettings(Optional<String> uri, Optional<String> user, String password, Optional<String> database) {

    /** From system properties, then the environment. */
    public static ConnectionSettings fromEnvironment() {
        return from(System::getProperty, System.getenv());
    }

    /** From these sources (tests). */
    public static ConnectionSettings from(Function<String, String> properties, Map<String, String> env) {
        Function<String, Optional<String>> get = key -> {
            String v = properties.apply("runbook.neo4j." + key);
            if (v == null || v.isBlank()) {
                v = env.get("RUNBOOK_NEO4J_" + key.toUpperCase(java.util.Locale.ROOT));
            }
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        };
        return new ConnectionSettings(get.apply("uri"), get.apply("user"), get.apply("password").orElse(""),
                get.apply("database"));
    }
}
