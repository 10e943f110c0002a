package dev.runbook.neo4j;

import java.util.Map;
import org.neo4j.driver.Driver;

/**
 * The seed's RCA graph for an OOMKilled pod, with ids prefixed so that tests sharing one database stay
 * apart: a CrashLoopBackOff symptom ABOUT pod {@code web-7d9f-x2} (owned by ReplicaSet {@code web-7d9f},
 * owned by Deployment {@code web}); causes OOMKilled (0.92) and ImagePullBackOff (0.40); behind OOMKilled
 * the chain MemoryLeak (0.80) and behind that DeploymentRollout (0.70), and behind that ConfigChange (0.60).
 */
final class RcaGraph {
    final String prefix;
    final String symptom;
    final String oom;
    final String podRid;
    final String pod;

    private RcaGraph(String prefix) {
        this.prefix = prefix;
        this.symptom = prefix + "evt-crashloop";
        this.oom = prefix + "evt-oom";
        this.podRid = prefix + "pod:default/web-7d9f-x2";
        this.pod = prefix + "web-7d9f-x2";
    }

    static RcaGraph create(Driver driver, String prefix) {
        RcaGraph g = new RcaGraph(prefix);
        try (var s = driver.session()) {
            s.executeWrite(tx -> tx.run("""
                    CREATE (pod:Resource {rid: $p + 'pod:default/web-7d9f-x2', kind: 'Pod', name: $p + 'web-7d9f-x2',
                                          ns: 'default', uid: 'uid-' + $p, container: 'app', cluster: 'prod-eu-1'})
                    CREATE (rs:Resource {rid: $p + 'rs:default/web-7d9f', kind: 'ReplicaSet', name: $p + 'web-7d9f', ns: 'default'})
                    CREATE (dep:Resource {rid: $p + 'deploy:default/web', kind: 'Deployment', name: $p + 'web', ns: 'default'})
                    CREATE (pod)-[:OWNED_BY]->(rs)-[:OWNED_BY]->(dep)
                    CREATE (sym:Episodic {eid: $p + 'evt-crashloop', reason: 'CrashLoopBackOff',
                                          event_time: datetime('2026-01-01T10:00:00Z')})-[:ABOUT]->(pod)
                    CREATE (oom:Episodic {eid: $p + 'evt-oom', reason: 'OOMKilled',
                                          event_time: datetime('2026-01-01T09:59:30Z')})-[:ABOUT]->(pod)
                    CREATE (img:Episodic {eid: $p + 'evt-image', reason: 'ImagePullBackOff'})
                    CREATE (leak:Episodic {eid: $p + 'evt-leak', reason: 'MemoryLeak'})
                    CREATE (roll:Episodic {eid: $p + 'evt-rollout', reason: 'DeploymentRollout'})
                    CREATE (cfg:Episodic {eid: $p + 'evt-config', reason: 'ConfigChange'})
                    CREATE (oom)-[:POTENTIAL_CAUSE {confidence: 0.92}]->(sym)
                    CREATE (img)-[:POTENTIAL_CAUSE {confidence: 0.40}]->(sym)
                    CREATE (leak)-[:POTENTIAL_CAUSE {confidence: 0.80}]->(oom)
                    CREATE (roll)-[:POTENTIAL_CAUSE {confidence: 0.70}]->(leak)
                    CREATE (cfg)-[:POTENTIAL_CAUSE {confidence: 0.60}]->(roll)
                    """, Map.of("p", prefix)).consume());
        }
        return g;
    }

    /** Adds a new failure event about the pod this long after the symptom (what a failed remediation leaves). */
    void addFailureAfter(Driver driver, String suffix, String reason, int minutesAfter) {
        try (var s = driver.session()) {
            s.executeWrite(tx -> tx.run("""
                    MATCH (pod:Resource {rid: $rid})
                    CREATE (:Episodic {eid: $eid, reason: $reason,
                                       event_time: datetime('2026-01-01T10:00:00Z') + duration({minutes: $m})})-[:ABOUT]->(pod)
                    """, Map.of("rid", podRid, "eid", prefix + suffix, "reason", reason, "m", minutesAfter)).consume());
        }
    }
}
