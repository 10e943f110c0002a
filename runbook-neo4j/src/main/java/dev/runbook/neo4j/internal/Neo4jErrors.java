package dev.runbook.neo4j.internal;

import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;

/**
 * Says in a few words why Neo4j could not be used, for the guard store's refusals and exceptions and the execution
 * journal's: an operator reads whether the database was down, the driver closed, or Neo4j refused the statement.
 */
public final class Neo4jErrors {
    private Neo4jErrors() {
    }

    /** A few words on why Neo4j could not be used, for refusals and exceptions. */
    public static String describe(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof ServiceUnavailableException || e instanceof SessionExpiredException) {
            return "Neo4j unreachable: " + message;
        }
        if (e instanceof IllegalStateException && message.contains("closed")) {
            return "driver closed: " + message;
        }
        if (e instanceof Neo4jException n) {
            return "Neo4j error " + n.code() + ": " + message;
        }
        return e.getClass().getSimpleName() + ": " + message;
    }
}
