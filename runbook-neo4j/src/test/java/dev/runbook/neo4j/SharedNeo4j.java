package dev.runbook.neo4j;

import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * One in-process Neo4j (neo4j-harness, real Bolt) for the whole test JVM: started on first use (about 5 s),
 * closed by JUnit when the run ends. Tests keep apart by unique ids, not by wiping the database.
 */
final class SharedNeo4j implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private static SharedNeo4j instance;
    final Neo4j neo4j;
    final Driver driver;

    private SharedNeo4j() {
        neo4j = Neo4jBuilders.newInProcessBuilder().withDisabledServer()
                .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
                .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ZERO)
                .build();
        driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
    }

    /** The shared instance, registered for closing with the root store of this context. */
    static synchronized SharedNeo4j get(ExtensionContext context) {
        if (instance == null) {
            instance = new SharedNeo4j();
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(SharedNeo4j.class.getName(), instance);
        }
        return instance;
    }

    @Override
    public synchronized void close() {
        driver.close();
        neo4j.close();
        synchronized (SharedNeo4j.class) {
            instance = null;
        }
    }
}
