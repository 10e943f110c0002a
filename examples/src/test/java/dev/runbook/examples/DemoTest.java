package dev.runbook.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's first command runs this demo; it must succeed and tell the story it promises. */
class DemoTest {

    @Test
    void runsTheThreeIncidentsAndPrintsTheTimeline() throws Exception {
        var bytes = new ByteArrayOutputStream();
        int code = new Demo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(code).as(out).isZero();
        assertThat(out).contains("match    oomkilled-increase-memory-v1")
                .contains("no match imagepullbackoff-fix-auth-v1: min_confidence 0.75 > rca_confidence 0.60")
                .contains("dry run ok   Update Deployment memory limit [kubectl_patch] would set memory of deployment web 256Mi -> 512Mi")
                .contains("action   set memory of deployment web 256Mi -> 512Mi")
                .contains("notify   slack sent: Auto-remediated OOMKilled incident. Pod: web-7d9f-x2. Action: increased memory 256Mi -> 512Mi.")
                .contains("step     FAIL Verify incident resolved [check_neo4j] expect 'new_failures == 0' was false")
                .contains("rollback ok   Revert memory change [kubectl_patch] set memory of deployment api 1Gi -> 512Mi")
                .contains("result   ROLLED_BACK")
                .contains("Memory limits now: web=512Mi (was 256Mi), api=512Mi (restored by rollback)")
                .contains("Slack receiver got 2 message(s)")
                .contains("Demo finished: every incident ended as expected.");
    }
}
