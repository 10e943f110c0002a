package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.model.CausalLink;
import dev.runbook.core.model.Incident;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

@Neo4jTest
class Neo4jIncidentLoaderTest {
    private final String p = "ldr-" + UUID.randomUUID() + "-";

    @Test
    void loadsTheSeedsIncidentContextWithTheStrongestCauseAndItsChain(Driver driver) {
        RcaGraph g = RcaGraph.create(driver, p);
        Incident i = Neo4jIncidentLoader.builder().driver(driver).build().load(g.symptom);

        assertThat(i.incidentId()).isEqualTo(g.symptom);
        assertThat(i.symptomReason()).isEqualTo("CrashLoopBackOff");
        assertThat(i.rootCauseReason()).isEqualTo("OOMKilled");
        assertThat(i.rcaConfidence()).isEqualTo(0.92);
        assertThat(i.resource().kind()).isEqualTo("Pod");
        assertThat(i.resource().name()).isEqualTo(g.pod);
        assertThat(i.resource().namespace()).isEqualTo("default");
        assertThat(i.resource().uid()).hasValue("uid-" + p);
        // controller: the farthest owner over OWNED_BY (Pod -> ReplicaSet -> Deployment)
        assertThat(i.resource().controller()).hasValue(p + "web");
        assertThat(i.resource().containerName()).hasValue("app");
        assertThat(i.cluster()).hasValue("prod-eu-1");
        assertThat(i.eventTime()).hasValue(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(i.attributes()).containsEntry("rid", g.podRid).containsEntry("root_cause_event_id", g.oom);
        assertThat(i.causalChain()).containsExactly(
                new CausalLink(g.oom, "OOMKilled", g.symptom, 0.92),
                new CausalLink(p + "evt-leak", "MemoryLeak", g.oom, 0.80),
                new CausalLink(p + "evt-rollout", "DeploymentRollout", p + "evt-leak", 0.70),
                new CausalLink(p + "evt-config", "ConfigChange", p + "evt-rollout", 0.60));
        // what templates see
        assertThat(i.toMap()).containsEntry("root_cause_reason", "OOMKilled")
                .containsEntry("event_time", "2026-01-01T10:00:00Z");
    }

    @Test
    void theChainIsBoundedByTheConfiguredDepth(Driver driver) {
        RcaGraph g = RcaGraph.create(driver, p);
        Incident i = Neo4jIncidentLoader.builder().driver(driver)
                .schema(GraphSchema.builder().maxChainDepth(2).build()).build().load(g.symptom);
        assertThat(i.causalChain()).extracting(CausalLink::causeReason).containsExactly("OOMKilled", "MemoryLeak");

        Incident one = Neo4jIncidentLoader.builder().driver(driver)
                .schema(GraphSchema.builder().maxChainDepth(1).build()).build().load(g.symptom);
        assertThat(one.causalChain()).extracting(CausalLink::causeReason).containsExactly("OOMKilled");
    }

    @Test
    void anUnknownIdIsNotFoundNotAnEmptyIncident(Driver driver) {
        var loader = Neo4jIncidentLoader.builder().driver(driver).build();
        assertThatThrownBy(() -> loader.load(p + "nope"))
                .isInstanceOf(IncidentNotFoundException.class)
                .hasMessage("incident '" + p + "nope' not found: no :Episodic {eid: '" + p + "nope'}");
        assertThat(loader.find(p + "nope")).isEmpty();
    }

    @Test
    void anIdIsDataNotCypher(Driver driver) {
        RcaGraph.create(driver, p);
        var loader = Neo4jIncidentLoader.builder().driver(driver).build();
        String injection = "x'}) MATCH (n) DETACH DELETE n //";
        assertThat(loader.find(injection)).isEmpty();
        assertThat(loader.find(p + "evt-crashloop")).isPresent();
    }

    @Test
    void anEventWithoutCauseHasAnEmptyRootCauseAndAnEventWithoutResourceIsRefused(Driver driver) {
        try (var s = driver.session()) {
            s.executeWrite(tx -> tx.run("""
                    CREATE (:Episodic {eid: $p + 'lonely', reason: 'BackOff', event_time: '2026-01-02T03:04:05Z'})
                           -[:ABOUT]->(:Resource {rid: $p + 'node:n1', kind: 'Node', name: 'n1'})
                    CREATE (:Episodic {eid: $p + 'orphan', reason: 'Error'})
                    """, Map.of("p", p)).consume());
        }
        var loader = Neo4jIncidentLoader.builder().driver(driver).build();
        Incident lonely = loader.load(p + "lonely");
        assertThat(lonely.rootCauseReason()).isEmpty();
        assertThat(lonely.rcaConfidence()).isZero();
        assertThat(lonely.causalChain()).isEmpty();
        assertThat(lonely.resource().namespace()).isEmpty();
        assertThat(lonely.resource().controller()).isEmpty();
        assertThat(lonely.eventTime()).hasValue(Instant.parse("2026-01-02T03:04:05Z"));

        assertThatThrownBy(() -> loader.load(p + "orphan")).isInstanceOf(IncidentContextException.class)
                .hasMessage("incident '" + p + "orphan' has no resource: no (:Episodic {eid: '" + p
                        + "orphan'})-[:ABOUT]->(:Resource)");
    }

    @Test
    void aGraphWithOtherNamesIsReadThroughTheSchema(Driver driver) {
        try (var s = driver.session()) {
            s.executeWrite(tx -> tx.run("""
                    CREATE (pod:K8sObject {id: $p + 'pod', type: 'Pod', objName: 'api-0', namespace: 'shop',
                                           ctrl: 'api', clusterName: 'c2'})
                    CREATE (sym:Event {event_id: $p + 'sym', why: 'CrashLoopBackOff', ts: 1767225600000})-[:CONCERNS]->(pod)
                    CREATE (:Event {event_id: $p + 'cause', why: 'OOMKilled'})-[:CAUSES {score: 0.85}]->(sym)
                    """, Map.of("p", p)).consume());
        }
        GraphSchema schema = GraphSchema.builder().episodicLabel("Event").eventIdProperty("event_id")
                .reasonProperty("why").eventTimeProperty("ts").resourceLabel("K8sObject").resourceIdProperty("id")
                .kindProperty("type").nameProperty("objName").namespaceProperty("namespace").controllerProperty("ctrl")
                .clusterProperty("clusterName").aboutRelationship("CONCERNS").causeRelationship("CAUSES")
                .confidenceProperty("score").build();
        Incident i = Neo4jIncidentLoader.builder().driver(driver).schema(schema).build().load(p + "sym");
        assertThat(i.rootCauseReason()).isEqualTo("OOMKilled");
        assertThat(i.rcaConfidence()).isEqualTo(0.85);
        assertThat(i.resource().key()).isEqualTo("Pod/shop/api-0");
        assertThat(i.resource().controller()).hasValue("api");
        assertThat(i.cluster()).hasValue("c2");
        assertThat(i.eventTime()).hasValue(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(i.attributes()).containsEntry("rid", p + "pod");
        assertThatThrownBy(() -> Neo4jIncidentLoader.builder().driver(driver)
                .schema(schema).build().load(p + "nope")).hasMessage(
                "incident '" + p + "nope' not found: no :Event {event_id: '" + p + "nope'}");
    }

    @Test
    void namesThatAreNotIdentifiersAreRefusedWhenConfigured() {
        assertThatThrownBy(() -> GraphSchema.builder().episodicLabel("Episodic {eid: 'x'}) DETACH DELETE (n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("episodicLabel 'Episodic {eid: 'x'}) DETACH DELETE (n' is not a valid Cypher name");
        assertThatThrownBy(() -> GraphSchema.builder().confidenceProperty("conf`idence"))
                .hasMessageContaining("confidenceProperty");
        assertThatThrownBy(() -> GraphSchema.builder().maxChainDepth(0)).hasMessage(
                "maxChainDepth must be between 1 and 20, got 0");
        assertThatThrownBy(() -> Neo4jIncidentLoader.builder().build())
                .hasMessage("Neo4jIncidentLoader needs a driver: call driver(...)");
        assertThat(Optional.of(GraphSchema.defaults().ownerRelationships())).hasValue(
                java.util.List.of("OWNED_BY", "CONTROLLED_BY"));
    }
}
