package dev.runbook.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.engine.ExecutionStatus;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Runs the README's embedding example on an in-process Neo4j: an incident for which no starter runbook matches
 * comes back NO_MATCH and is recorded in the audit trail (the matching story itself is DemoTest's).
 */
class EmbeddingExampleTest {

    @Test
    void theReadmeExampleLoadsTheRunbooksAndHandlesAnIncidentFromTheGraph() {
        try (var neo4j = Neo4jBuilders.newInProcessBuilder().withDisabledServer()
                .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
                .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ZERO).build();
             var driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none())) {
            try (var s = driver.session()) {
                s.run("""
                        CREATE (:Episodic {eid: 'evt-1', reason: 'Pending', event_time: $t})
                               -[:ABOUT]->(:Resource {rid: 'pod:shop/web-1', kind: 'Pod', name: 'web-1', ns: 'shop'})
                        """, Map.of("t", ZonedDateTime.now())).consume();
            }
            var e = EmbeddingExample.remediate(driver, "evt-1", URI.create("http://127.0.0.1:9/unused"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.NO_MATCH);
            assertThat(e.error()).contains("no runbook matches incident evt-1");
            try (var s = driver.session()) {
                assertThat(s.run("MATCH (x:RunbookExecution)-[:FOR_INCIDENT]->(:Episodic {eid: 'evt-1'}) RETURN x.status AS st")
                        .single().get("st").asString()).isEqualTo("no_match");
            }
        }
    }
}
