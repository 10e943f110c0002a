package dev.runbook.neo4j;

import dev.runbook.core.engine.RunbookEngine;
import java.time.Duration;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * The host that dies, run in a child JVM by {@link CrashRecoveryTest}: an engine with the Neo4j journal and guard
 * store handles one incident; the parent kills this process while the patch is in flight. Its locks and journal
 * lease last 2 s (renewed while it lives), so the parent need wait only briefly once it is dead.
 *
 * <p>Arguments: the Bolt URI, the HTTP port of the resource, the test's id prefix.
 */
public final class CrashHost {
    private CrashHost() {
    }

    public static void main(String[] args) {
        Driver driver = GraphDatabase.driver(args[0], AuthTokens.none());
        int port = Integer.parseInt(args[1]);
        String prefix = args[2];
        RunbookEngine engine = CrashRunbook.engine(driver, port, prefix, "crash-host", Duration.ofSeconds(2))
                .executionIds(() -> prefix + "crashed").build();
        System.out.println("ready");
        // the parent kills this JVM during the patch; coming back from handle() means the test failed
        System.out.println("finished " + engine.handle(CrashRunbook.incident(prefix, "incident-1")).status());
    }
}
