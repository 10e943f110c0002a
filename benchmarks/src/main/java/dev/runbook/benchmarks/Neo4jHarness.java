package dev.runbook.benchmarks;

import java.time.Duration;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * An in-process Neo4j (neo4j-harness) reached over real Bolt by the Java driver, as the runbook-neo4j tests start
 * it: the Neo4j suites measure the driver and the database, not an embedded shortcut. One per trial (about 5 s to
 * start); the Bolt shutdown waits are zero so closing takes a fraction of a second instead of about 10 s.
 */
final class Neo4jHarness implements AutoCloseable {
    final Neo4j neo4j;
    final Driver driver;

    Neo4jHarness() {
        this(Neo4jBuilders.newInProcessBuilder());
    }

    /**
     * A harness whose database files live under {@code workingDirectory}: on a tmpfs such as {@code /dev/shm} a
     * commit's forced log write costs nothing, which separates a statement's own work from the disk's.
     */
    Neo4jHarness(java.nio.file.Path workingDirectory) {
        this(Neo4jBuilders.newInProcessBuilder(workingDirectory));
    }

    private Neo4jHarness(org.neo4j.harness.Neo4jBuilder builder) {
        neo4j = builder.withDisabledServer()
                .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
                .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ZERO)
                .build();
        driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
        driver.verifyConnectivity();
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            neo4j.close();
        }
    }
}
