package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import java.util.Optional;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import picocli.CommandLine.Option;

/**
 * How a command reaches Neo4j: {@code --neo4j URI}, {@code --neo4j-user}, {@code --neo4j-password} (each also from
 * the {@code RUNBOOK_NEO4J_*} environment variables) and {@code --database}. One place for the commands that read
 * the RCA graph or share the engines' guard store.
 */
final class Neo4jOptions {
    @Option(names = {"--neo4j", "--neo4j-uri"}, paramLabel = "URI",
            description = "Neo4j Bolt URI (env RUNBOOK_NEO4J_URI)")
    String uri;

    @Option(names = {"--neo4j-user", "--user"}, paramLabel = "USER", description = "Neo4j user (env RUNBOOK_NEO4J_USER)")
    String user;

    @Option(names = {"--neo4j-password", "--password"}, paramLabel = "PASSWORD",
            description = "Neo4j password (prefer env RUNBOOK_NEO4J_PASSWORD)")
    String password;

    @Option(names = "--database", paramLabel = "NAME", description = "Neo4j database (default: the server's default)")
    String database;

    /**
     * A driver whose connection was checked: a wrong address or password fails at once, where a query would retry
     * for half a minute.
     *
     * @param what what the database is needed for, for the message when none is given
     */
    Driver connect(CliEnvironment env, String what) {
        String address = pick(env, uri, "RUNBOOK_NEO4J_URI");
        if (address == null) {
            throw new CliException(RunbookCli.EXIT_USAGE, "no Neo4j to " + what + ": give --neo4j bolt://host:7687 "
                    + "or set RUNBOOK_NEO4J_URI");
        }
        Driver driver = GraphDatabase.driver(address, auth(env));
        try {
            driver.verifyConnectivity();
            return driver;
        } catch (RuntimeException e) {
            driver.close();
            throw new CliException(RunbookCli.EXIT_USAGE, "cannot " + what + " " + address + ": "
                    + PluginCommand.oneLine(e), e);
        }
    }

    /** The database named with {@code --database}, if any. */
    Optional<String> database() {
        return Optional.ofNullable(database).filter(d -> !d.isBlank());
    }

    private AuthToken auth(CliEnvironment env) {
        String u = pick(env, user, "RUNBOOK_NEO4J_USER");
        String p = pick(env, password, "RUNBOOK_NEO4J_PASSWORD");
        if (u == null && p == null) {
            return AuthTokens.none();
        }
        if (u == null || p == null) {
            throw new CliException(RunbookCli.EXIT_USAGE, "give both --neo4j-user and --neo4j-password (or "
                    + "RUNBOOK_NEO4J_USER and RUNBOOK_NEO4J_PASSWORD), or neither");
        }
        return AuthTokens.basic(u, p);
    }

    private static String pick(CliEnvironment env, String flag, String variable) {
        return flag != null && !flag.isBlank() ? flag : env.get(variable).orElse(null);
    }
}
