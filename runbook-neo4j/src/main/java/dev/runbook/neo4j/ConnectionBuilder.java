package dev.runbook.neo4j;

import dev.runbook.neo4j.internal.DatabaseNames;
import java.util.Objects;
import java.util.Optional;
import org.neo4j.driver.Driver;

/**
 * What every builder of this module that reads or writes Neo4j takes the same way: the driver and the database.
 * One home for both setters and the "needs a driver" check; package-private, so each builder documents them as its
 * own.
 *
 * @param <B> the builder, returned by the setters
 */
abstract class ConnectionBuilder<B extends ConnectionBuilder<B>> {
    Driver driver;
    String database;

    ConnectionBuilder() {
    }

    /** The driver (required; the host owns and closes it). */
    public B driver(Driver driver) {
        this.driver = Objects.requireNonNull(driver, "driver");
        return self();
    }

    /** The database (default: the server's default database). */
    public B database(String database) {
        this.database = DatabaseNames.checked(database);
        return self();
    }

    /** The database, if one was named. */
    Optional<String> databaseName() {
        return Optional.ofNullable(database);
    }

    /** Throws naming {@code what} when no driver was given. */
    void requireDriver(String what) {
        if (driver == null) {
            throw new IllegalStateException(what + " needs a driver: call driver(...)");
        }
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
