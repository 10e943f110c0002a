package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * The Java driver talks Bolt to a real in-process Neo4j (neo4j-harness) on this module's class path: the
 * pinned driver 5.28.5 and Netty 4.1 work together. Every test of this module stands on it.
 */
class HarnessCompatibilityTest {
    private static Neo4j neo4j;
    private static Driver driver;

    @BeforeAll
    static void start() {
        neo4j = Neo4jBuilders.newInProcessBuilder().withDisabledServer()
                // close in a fraction of a second instead of ten
                .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
                .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ZERO)
                .build();
        driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
        }
        if (neo4j != null) {
            neo4j.close();
        }
    }

    @Test
    void writesAndReadsTheSeedGraphShapeOverBolt() {
        try (var session = driver.session()) {
            session.executeWrite(tx -> tx.run("""
                    CREATE (r:Resource {rid: $rid, kind: 'Pod', name: 'web-1', ns: 'default'})
                    CREATE (s:Episodic {eid: 'e-sym', reason: 'CrashLoopBackOff'})-[:ABOUT]->(r)
                    CREATE (c:Episodic {eid: 'e-cause', reason: 'OOMKilled'})-[:POTENTIAL_CAUSE {confidence: 0.92}]->(s)
                    """, java.util.Map.of("rid", "pod:default/web-1")).consume());
            var row = session.executeRead(tx -> tx.run("""
                    MATCH (cause:Episodic)-[p:POTENTIAL_CAUSE]->(:Episodic {eid: $eid})-[:ABOUT]->(r:Resource)
                    RETURN cause.reason AS reason, p.confidence AS confidence, r.name AS name
                    """, java.util.Map.of("eid", "e-sym")).single());
            assertThat(row.get("reason").asString()).isEqualTo("OOMKilled");
            assertThat(row.get("confidence").asDouble()).isEqualTo(0.92);
            assertThat(row.get("name").asString()).isEqualTo("web-1");
        }
    }
}
