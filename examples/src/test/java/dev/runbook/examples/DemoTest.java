package dev.runbook.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The README's first command runs this demo (in-process Neo4j, fabric8 mock API server, loopback receiver); it
 * must exit 0 and tell the story it promises, in order.
 */
class DemoTest {

    @Test
    void takesTheThreeIncidentsFromTheGraphThroughTheWholeLoop() throws Exception {
        var bytes = new ByteArrayOutputStream();
        int code = new Demo(new PrintStream(bytes, true, StandardCharsets.UTF_8), Demo.Options.parse("--runbooks", "runbooks")).run();
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(code).as(out).isZero();
        assertThat(out).containsSubsequence(
                "Runbooks: ",
                "Dashboard: http://127.0.0.1:",
                // 1. OOMKilled 0.92: loaded from the graph, matched, dry run, run, verified, notified
                "Incident evt-web-crashloop loaded from Neo4j: CrashLoopBackOff on Pod shop/web-",
                "(controller web, container app), root cause OOMKilled (confidence 0.92)",
                "match    oomkilled-increase-memory-v1: matched: root_cause_reason 'OOMKilled' in [OOMKilled]",
                "no match imagepullbackoff-fix-auth-v1: root_cause_reason 'OOMKilled' not in [ImagePullBackOff]",
                "dry run  ok   Update Deployment memory limit [k8s_set_resources] dry run: would have patched Deployment shop/web: memory limit 256Mi -> 512Mi",
                "step     ok   Update Deployment memory limit [k8s_set_resources] patched Deployment shop/web: memory limit 256Mi -> 512Mi",
                "step     ok   Wait for pod to restart [wait] condition 'pod/web-",
                "step     ok   Verify incident resolved [check_neo4j] -> {new_failures=0}",
                "receiver got {\"text\":\"Auto-remediated OOMKilled incident. Pod: web-",
                "allow confidence: rca_confidence 0.92 >= min_confidence 0.80",
                "allow dry_run: dry run passed",
                "result   SUCCEEDED",
                // 2. ImagePullBackOff 0.60: matched, then refused by the confidence guard; nothing runs
                "Incident evt-checkout-errimagepull loaded from Neo4j: ErrImagePull on Pod shop/checkout-",
                "match    imagepullbackoff-fix-auth-v1",
                "DENY  confidence: rca_confidence 0.60 < min_confidence 0.75",
                "result   DENIED",
                // 3. OOMKilled again after the change: verification fails, the change is rolled back
                "Incident evt-api-crashloop loaded from Neo4j",
                "step     FAIL Verify incident resolved [check_neo4j] expect 'new_failures == 0' was false (result: {new_failures=1})",
                "step     ok   Revert memory change [k8s_set_resources] patched Deployment shop/api: memory limit 512Mi -> 256Mi",
                "receiver got {\"text\":\"Runbook failed for OOMKilled incident. Pod: api-",
                "result   ROLLED_BACK",
                "Cluster now: web memory limit 512Mi (was 256Mi), api 256Mi (restored by the rollback)",
                "Receiver got 2 notification(s)",
                // what runbook-micrometer counted, from the engine's listener events
                "Metrics (runbook-micrometer):",
                "runbook.executions{runbook=imagepullbackoff-fix-auth-v1, status=denied} 1",
                "runbook.executions{runbook=oomkilled-increase-memory-v1, status=rolled_back} 1",
                "runbook.executions{runbook=oomkilled-increase-memory-v1, status=succeeded} 1",
                "runbook.guard.decisions{runbook=imagepullbackoff-fix-auth-v1, guard=confidence, outcome=denied} 1",
                "runbook.step.duration{runbook=oomkilled-increase-memory-v1, phase=rollback, action=k8s_set_resources, status=succeeded} 1",
                "runbook.executions.running 0",
                // the audit trail, read back from Neo4j
                "evt-web-crashloop            oomkilled-increase-memory-v1   succeeded",
                "evt-checkout-errimagepull    imagepullbackoff-fix-auth-v1   denied",
                "denied: rca_confidence 0.60 < min_confidence 0.75",
                "evt-api-crashloop            oomkilled-increase-memory-v1   rolled_back  rollback succeeded",
                "AuditQueries.perRunbook():",
                "oomkilled-increase-memory-v1   ran 2, succeeded 1, denied 0, success rate 50%",
                "AuditQueries.perRootCause():",
                "OOMKilled                      ran 2, succeeded 1, denied 0, success rate 50%",
                // the backtest of the library on the same graph agrees with what the engine just did
                "Backtest: the library replayed on the graph's incidents since ",
                "backtest of 3 incident(s) from ",
                "would run 2, would be denied 1, no match 0; against the audit: same 3, different 0, not recorded 0",
                "imagepullbackoff-fix-auth-v1",
                "Backtest HTML report: ",
                "Demo finished: every incident ended as expected.");
        assertThat(out).doesNotContain("dry run  ok   Update Deployment memory limit [k8s_set_resources] patched");
    }

    @Test
    void aWrongFlagIsAClearErrorNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Demo.Options.parse("--neo4j-url", "bolt://x"))
                .hasMessageStartingWith("unknown flag --neo4j-url").hasMessageContaining("--neo4j-uri");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Demo.Options.parse("--context"))
                .hasMessageStartingWith("flag --context needs a value");
    }

    @Test
    void serveIsAFlagWithoutAValue() {
        assertThat(Demo.Options.parse("--serve", "--runbooks", "runbooks").serve()).isTrue();
        assertThat(Demo.Options.parse("--runbooks", "runbooks").serve()).isFalse();
    }
}
