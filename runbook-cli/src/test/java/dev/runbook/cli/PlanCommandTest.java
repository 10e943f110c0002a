package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.cli.plugin.AcmePlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
    static final String R = "src/test/resources/runbooks/";
    static final String I = "src/test/resources/incidents/";

    @TempDir
    Path plugins;

    @BeforeEach
    void resetCounters() throws Exception {
        PluginJar.build(plugins);
        AcmePlugin.CALLS.set(0);
        AcmePlugin.REAL_CALLS.set(0);
    }

    @Test
    void withoutATargetStepsAreRenderedAndNothingIsCalled() {
        var r = Cli.run("plan", "--incident", I + "memory-spike.json", R + "good");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(String.join("\n",
                "incident inc-42: root_cause_reason 'MemorySpike', symptom_reason 'HighMemory', rca_confidence 0.92,"
                        + " resource Container/shop/web-1",
                "runbook memory-spike-webhook-v1 (" + R + "good/memory-spike-webhook.yaml): matched: root_cause_reason"
                        + " 'MemorySpike' in [MemorySpike]; rca_confidence 0.92 >= min_confidence 0.70; resource kind"
                        + " 'Container' in [Container]",
                "guards:",
                "  ALLOW enabled: runbook memory-spike-webhook-v1 is enabled and the kill switch is off",
                "  ALLOW confidence: rca_confidence 0.92 >= min_confidence 0.70",
                "  ALLOW dedupe: no active execution for incident inc-42 or resource Container/shop/web-1",
                "  ALLOW rate_limit: within max_executions_per_hour 3 for runbook memory-spike-webhook-v1",
                "  ALLOW dry_run: dry run passed: 3 step(s), 0 resource(s) would be touched",
                "dry run:",
                "  note: no target configured (--kube-context, --neo4j-uri, --docker-host or RUNBOOK_K8S_CONTEXT,"
                        + " KUBECONFIG, RUNBOOK_NEO4J_URI, DOCKER_HOST): no action is called; read actions produce no"
                        + " output, so later templates render with empty values",
                "  1. Read memory [set, read] would call set",
                "       value: 97",
                "  2. Log [log, read] would call log",
                "       message: memory at % on web-1",
                "  3. Ask the deployer to restart [webhook, mutating] would call webhook",
                "       url: https://deployer.example.com/restart",
                "       method: POST",
                "       body: {\"container\":\"web-1\",\"memory_percent\":null}",
                "resources it would touch: none reported",
                "result: PLANNED (nothing was changed)",
                ""));
    }

    @Test
    void aPluginActionIsRenderedButNotCalledWithoutATarget() {
        var r = Cli.run("plan", "--plugins", plugins.toString(), "--incident", I + "backlog.json", R + "plugin");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains(
                "  1. Scale the workers [acme_scale, mutating] would call acme_scale\n"
                        + "       service: orders-workers\n"
                        + "       replicas: 6\n",
                "       message: scaled:\n");
        assertThat(AcmePlugin.CALLS).hasValue(0);
    }

    @Test
    void withATargetTheProvidersDryRunShowsWhatWouldBeTouched() {
        var r = Cli.run("plan", "--plugins", plugins.toString(), "--neo4j-uri", "bolt://graph.example:7687",
                "--incident", I + "backlog.json", R + "plugin");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains(
                "dry run against neo4j bolt://graph.example:7687:\n"
                        + "  1. Scale the workers [acme_scale, mutating] ok: scaled orders-workers\n"
                        + "       service: orders-workers\n"
                        + "       replicas: 6\n"
                        + "       output: {\"replicas\":6,\"endpoint\":\"bolt://graph.example:7687\"}\n"
                        + "       touches Deployment/shop/orders-workers: would scale to 6 replicas\n",
                "  ALLOW blast_radius: plan touches 1 resource(s) <= blast_radius_limit 2\n",
                "resources it would touch: Deployment/shop/orders-workers\n")
                .doesNotContain("note: no target");
        assertThat(AcmePlugin.CALLS).hasValue(1);
        assertThat(AcmePlugin.REAL_CALLS).hasValue(0);
        // The target is handed over for the plan only.
        assertThat(System.getProperty("runbook.neo4j.uri")).isNull();
    }

    @Test
    void theTargetMayComeFromTheEnvironment() {
        var r = Cli.runWithEnv(Map.of("RUNBOOK_NEO4J_URI", "bolt://env.example:7687"), "plan", "--plugins",
                plugins.toString(), "--incident", I + "backlog.json", R + "plugin");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"endpoint\":\"bolt://env.example:7687\"");
        assertThat(AcmePlugin.CALLS).hasValue(1);
        assertThat(AcmePlugin.REAL_CALLS).hasValue(0);
    }

    @Test
    void callProvidersRunsTheirDryRunWithoutATarget() {
        var r = Cli.run("plan", "--call-providers", "--plugins", plugins.toString(), "--incident", I + "backlog.json",
                R + "plugin");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("dry run:\n  1. Scale the workers [acme_scale, mutating] ok: scaled orders-workers\n",
                "\"endpoint\":\"none\"");
        assertThat(AcmePlugin.REAL_CALLS).hasValue(0);
    }

    @Test
    void jsonOutputHasGuardsStepsAndTouchedResources() throws Exception {
        var r = Cli.run("plan", "--output", "json", "--call-providers", "--plugins", plugins.toString(),
                "--incident", I + "backlog.json", R + "plugin");
        assertThat(r.code()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("status").asText()).isEqualTo("PLANNED");
        assertThat(json.get("runbook").asText()).isEqualTo("acme-scale-out-v1");
        assertThat(json.get("target").get("providers_called").asBoolean()).isTrue();
        assertThat(json.get("note").isNull()).isTrue();
        assertThat(json.get("guards").findValuesAsText("guard"))
                .containsExactly("enabled", "confidence", "dedupe", "rate_limit", "dry_run", "blast_radius", "targets");
        JsonNode step = json.get("steps").get(0);
        assertThat(step.get("action").asText()).isEqualTo("acme_scale");
        assertThat(step.get("called").asBoolean()).isTrue();
        assertThat(step.get("params").get("replicas").asLong()).isEqualTo(6);
        // core's ExecutionView.step, as MCP and the dashboard give it
        assertThat(step.get("dry_run").asBoolean()).isTrue();
        assertThat(step.get("started_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(step.has("duration")).isTrue();
        assertThat(step.get("touched").get(0).asText()).isEqualTo("Deployment/shop/orders-workers");
        assertThat(json.get("touched").get(0).get("name").asText()).isEqualTo("orders-workers");

        var noTarget = new ObjectMapper().readTree(Cli.run("plan", "--output", "json", "--plugins", plugins.toString(),
                "--incident", I + "backlog.json", R + "plugin").out());
        assertThat(noTarget.get("steps").get(0).get("called").asBoolean()).isFalse();
        assertThat(noTarget.get("steps").get(0).get("status").asText()).isEqualTo("NOT_RUN_IN_DRY_RUN");
        assertThat(noTarget.get("note").asText()).startsWith("no target configured");
    }

    @Test
    void aDenyingGuardExitsWithOneAndRunsNothing(@TempDir Path dir) throws Exception {
        Path inc = Files.writeString(dir.resolve("i.json"), """
                {"incident_id": "inc-1", "root_cause_reason": "QueueBacklog", "rca_confidence": 0.5,
                 "resource": {"kind": "Deployment", "name": "orders", "namespace": "shop"}}
                """);
        // blast_radius_limit 2 in the runbook; this runbook file raises the bar for confidence via safety.
        Path rb = Files.writeString(dir.resolve("strict.yaml"), """
                runbook:
                  id: strict-v1
                  trigger:
                    root_cause_reason: QueueBacklog
                  safety:
                    min_confidence: 0.9
                  steps:
                    - name: Log
                      action: log
                      params:
                        message: hi
                """);
        var r = Cli.run("plan", "--incident", inc.toString(), rb.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("  DENY confidence: rca_confidence 0.50 < min_confidence 0.90\n",
                "result: DENIED: confidence: rca_confidence 0.50 < min_confidence 0.90 (nothing was changed)\n");
    }

    @Test
    void noMatchExitsWithOneAndSaysWhy() {
        var r = Cli.run("plan", "--incident", I + "oomkilled.json", R + "good");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("no runbook matches; nothing would run\n",
                "  - memory-spike-webhook-v1 (" + R + "good/memory-spike-webhook.yaml): root_cause_reason 'OOMKilled'"
                        + " not in [MemorySpike]; resource kind 'Pod' not in [Container]\n");
    }

    @Test
    void fileProblemsStopThePlan() {
        var r = Cli.run("plan", "--incident", I + "memory-spike.json", R + "bad/typos.yaml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.outLines()).hasSize(3).allMatch(l -> l.startsWith(R + "bad/typos.yaml:"));
    }
}
