package dev.runbook.examples.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.neo4j.driver.Driver;

/**
 * Writes the small RCA graph a host like kg-builder keeps, in the shape {@code Neo4jIncidentLoader} reads by
 * default: {@code (:Episodic {eid, reason, event_time})-[:ABOUT]->(:Resource {rid, kind, name, ns, container})},
 * {@code (cause)-[:POTENTIAL_CAUSE {confidence}]->(symptom)}, and Pod -OWNED_BY-> ReplicaSet -OWNED_BY-> Deployment.
 * Every value is a query parameter.
 */
public final class RcaGraph {
    private final Driver driver;

    /** Writes through this driver. */
    public RcaGraph(Driver driver) {
        this.driver = driver;
    }

    /**
     * One finding: a symptom event about a pod, and its most likely cause with this confidence (plus a weaker
     * alternative cause, so the loader has a choice to make).
     */
    public void finding(String symptomId, String symptomReason, String causeReason, double confidence,
                        String namespace, String pod, String replicaSet, String deployment, Instant symptomTime) {
        try (var s = driver.session()) {
            s.executeWrite(tx -> tx.run("""
                    MERGE (dep:Resource {rid: 'deploy:' + $ns + '/' + $dep})
                      SET dep.kind = 'Deployment', dep.name = $dep, dep.ns = $ns
                    MERGE (rs:Resource {rid: 'rs:' + $ns + '/' + $rs})
                      SET rs.kind = 'ReplicaSet', rs.name = $rs, rs.ns = $ns
                    MERGE (pod:Resource {rid: 'pod:' + $ns + '/' + $pod})
                      SET pod.kind = 'Pod', pod.name = $pod, pod.ns = $ns, pod.container = 'app'
                    MERGE (pod)-[:OWNED_BY]->(rs)
                    MERGE (rs)-[:OWNED_BY]->(dep)
                    CREATE (sym:Episodic {eid: $sid, reason: $sreason, event_time: $t})-[:ABOUT]->(pod)
                    CREATE (cause:Episodic {eid: $sid + '-cause', reason: $creason,
                                            event_time: $t - duration({seconds: 30})})-[:ABOUT]->(pod)
                    CREATE (alt:Episodic {eid: $sid + '-alt', reason: 'NodePressure'})
                    CREATE (cause)-[:POTENTIAL_CAUSE {confidence: $conf}]->(sym)
                    CREATE (alt)-[:POTENTIAL_CAUSE {confidence: 0.2}]->(sym)
                    """, Map.of("ns", namespace, "dep", deployment, "rs", replicaSet, "pod", pod, "sid", symptomId,
                    "sreason", symptomReason, "creason", causeReason, "conf", confidence,
                    "t", symptomTime.atZone(ZoneOffset.UTC))).consume());
        }
    }

    /** A new failure event about the pod of this finding, at this time (what kg-builder records when it recurs). */
    public void recurrence(String symptomId, String eventId, String reason, Instant at) {
        try (var s = driver.session()) {
            s.executeWrite(tx -> tx.run("""
                    MATCH (:Episodic {eid: $sid})-[:ABOUT]->(pod:Resource)
                    CREATE (:Episodic {eid: $eid, reason: $reason, event_time: $t})-[:ABOUT]->(pod)
                    """, Map.of("sid", symptomId, "eid", eventId, "reason", reason, "t", at.atZone(ZoneOffset.UTC)))
                    .consume());
        }
    }
}
