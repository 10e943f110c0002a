package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
    static final String R = "src/test/resources/runbooks/";
    static final String I = "src/test/resources/incidents/";

    @Test
    void namesTheMatchAndWhyEachOtherRunbookDoesNot() {
        // The seed runbooks use Kubernetes and Neo4j actions: explain checks only structure and triggers.
        var r = Cli.run("explain", "--incident", I + "oomkilled.json", R + "seed", R + "good");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.outLines()).startsWith(
                "incident inc-7: root_cause_reason 'OOMKilled', symptom_reason 'CrashLoopBackOff', rca_confidence 0.91,"
                        + " resource Pod/shop/web-5d9c-x2x",
                "matches (best first):",
                "  1. oomkilled-increase-memory-v1 (" + R + "seed/oomkilled-increase-memory.yaml)",
                "       root_cause_reason: ok (root_cause_reason 'OOMKilled' in [OOMKilled])",
                "       symptom_reason: ok (symptom_reason 'CrashLoopBackOff' in [CrashLoopBackOff, BackOff, Error])",
                "       min_confidence: ok (rca_confidence 0.91 >= min_confidence 0.80)",
                "       affected_resource_kinds: ok (resource kind 'Pod' in [Pod])",
                "does not match:");
        assertThat(r.out()).contains(
                "  - nodenotready-cordon-drain-v1 (" + R + "seed/nodenotready-cordon-drain.yaml): root_cause_reason"
                        + " 'OOMKilled' not in [NodeNotReady]; resource kind 'Pod' not in [Node]\n",
                "  - memory-spike-webhook-v1 (" + R + "good/memory-spike-webhook.yaml): root_cause_reason 'OOMKilled'"
                        + " not in [MemorySpike]; resource kind 'Pod' not in [Container]\n",
                "       min_confidence: ok (rca_confidence 0.91 >= min_confidence 0.70)\n");
        assertThat(r.out()).contains("imagepullbackoff-fix-auth-v1", "cpu-overload-wait-v1");
    }

    @Test
    void aLowConfidenceIsExplainedAndNothingMatchingExitsWithOne(@TempDir Path dir) throws Exception {
        Path inc = Files.writeString(dir.resolve("low.json"), """
                {"incident_id": "inc-8", "symptom_reason": "CrashLoopBackOff", "root_cause_reason": "OOMKilled",
                 "rca_confidence": 0.72, "resource": {"kind": "Pod", "name": "web-1", "namespace": "shop"}}
                """);
        var r = Cli.run("explain", "--incident", inc.toString(), R + "seed/oomkilled-increase-memory.yaml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("no runbook matches\n",
                "  - oomkilled-increase-memory-v1 (" + R + "seed/oomkilled-increase-memory.yaml): min_confidence 0.80 >"
                        + " rca_confidence 0.72\n",
                "       min_confidence: failed (min_confidence 0.80 > rca_confidence 0.72)\n");
    }

    @Test
    void jsonOutputHasMatchesAndRejectionsWithCriteria() throws Exception {
        var r = Cli.run("explain", "--output", "json", "--incident", I + "memory-spike.json", R + "good");
        assertThat(r.code()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("incident").get("incident_id").asText()).isEqualTo("inc-42");
        assertThat(json.get("matches")).hasSize(1);
        assertThat(json.get("matches").get(0).get("runbook").asText()).isEqualTo("memory-spike-webhook-v1");
        assertThat(json.get("matches").get(0).get("criteria").get(0).get("passed").asBoolean()).isTrue();
        JsonNode rejected = json.get("rejected").get(0);
        assertThat(rejected.get("runbook").asText()).isEqualTo("cpu-overload-wait-v1");
        assertThat(rejected.get("file").asText()).isEqualTo(R + "good/cpu/cpu-overload-wait.yaml");
        assertThat(rejected.get("why").asText()).isEqualTo(
                "root_cause_reason 'MemorySpike' not in [CpuOverload]; symptom_reason 'HighMemory' not in [HighCpu]");
        assertThat(rejected.get("criteria").findValuesAsText("criterion"))
                .containsExactly("root_cause_reason", "symptom_reason", "min_confidence");
    }

    @Test
    void structuralProblemsStopExplainWithTheirLocations() {
        var r = Cli.run("explain", "--incident", I + "memory-spike.json", R + "bad/typos.yaml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(
                R + "bad/typos.yaml:5:21: trigger.min_confidence: 1.5 is out of range; it must be between 0 and 1\n");
    }
}
