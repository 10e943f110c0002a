package dev.runbook.neo4j.internal;

import java.util.Objects;

/** The one check of a database name every builder of this module takes. */
public final class DatabaseNames {
    private DatabaseNames() {
    }

    /**
     * The name, when it can name a database.
     *
     * @throws IllegalArgumentException when it is blank
     */
    public static String checked(String database) {
        if (Objects.requireNonNull(database, "database").isBlank()) {
            throw new IllegalArgumentException("database name must not be blank");
        }
        return database;
    }
}
