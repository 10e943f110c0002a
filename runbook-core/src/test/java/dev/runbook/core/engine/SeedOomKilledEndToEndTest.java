package dev.runbook.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.runbook.core.action.WaitCondition;
import dev.runbook.core.action.WaitConditionProvider;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.action.builtin.BuiltinActionsConfig;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.internal.Json;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.core.notify.SlackNotifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's OOMKilled runbook (000, "Runbook YAML Schema"), built in Java, end to end: dry run first, the
 * real patch, the wait, the verification through check_neo4j's expect, rollback when verification fails,
 * and both Slack notifications delivered to a real HTTP server on loopback. kubectl and check_neo4j are
 * test stand-ins here ({@link FakeCluster}); runbook-k8s and runbook-neo4j test the real ones.
 */
class SeedOomKilledEndToEndTest {
    private HttpServer slack;
    private final List<Map<String, Object>> slackMessages = new CopyOnWriteArrayList<>();
    private final FakeCluster cluster = new FakeCluster();
    private final TestClock clock = new TestClock();
    private RunbookEngine engine;
    /** When set, the real run's wait step blocks here after the patch, holding the execution mid-run. */
    private volatile java.util.concurrent.CountDownLatch holdAfterPatch;
    private final java.util.concurrent.CountDownLatch heldAfterPatch = new java.util.concurrent.CountDownLatch(1);

    static Runbook seedRunbook() {
        Map<String, Object> patchTree = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "{{ incident.resource.container_name }}",
                        "resources", Map.of("limits", Map.of("memory", "{{ new_memory }}"))))))));
        Map<String, Object> revertTree = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "{{ incident.resource.container_name }}",
                        "resources", Map.of("limits", Map.of("memory", "{{ current_memory }}"))))))));
        return Runbook.builder("oomkilled-increase-memory-v1")
                .name("Auto-remediate OOMKilled by increasing memory").version("1.0").author("sre-team")
                .trigger(Trigger.builder().rootCauseReason("OOMKilled").symptomReason("CrashLoopBackOff", "BackOff", "Error")
                        .minConfidence(0.80).resourceKind("Pod").build())
                .safety(Safety.builder().requireApproval(false).maxExecutionsPerHour(5).blastRadiusLimit(10)
                        .dryRunFirst(true).build())
                .step(ActionStep.builder("Get current memory limit", "kubectl_get").param("resource", "pod")
                        .param("name", "{{ incident.resource.name }}").param("namespace", "{{ incident.resource.namespace }}")
                        .param("field", "spec.containers[0].resources.limits.memory").outputVar("current_memory").build())
                .step(ActionStep.builder("Calculate new memory limit", "calculate")
                        .param("expression", "{{ current_memory | parse_memory | multiply(2) }}").outputVar("new_memory").build())
                .step(ActionStep.builder("Update Deployment memory limit", "kubectl_patch").param("resource", "deployment")
                        .param("name", "{{ incident.resource.controller }}").param("namespace", "{{ incident.resource.namespace }}")
                        .param("patch", patchTree).build())
                .step(ActionStep.builder("Wait for pod to restart", "wait")
                        .param("condition", "pod/{{ incident.resource.name }} ready").param("timeout", 300).build())
                .step(ActionStep.builder("Verify incident resolved", "check_neo4j")
                        .param("query", "MATCH (e:Episodic {eid: $incident_id}) RETURN 0 AS new_failures")
                        .expect("new_failures == 0").build())
                .notifications(new Notifications(
                        List.of(new Notification("slack", ParamValue.mapOf(Map.of("channel", "#incidents", "message",
                                "✅ Auto-remediated OOMKilled incident\nPod: {{ incident.resource.name }}\n"
                                        + "Action: Increased memory {{ current_memory }} → {{ new_memory }}\n"
                                        + "RCA Confidence: {{ incident.rca_confidence }}\n")))),
                        List.of(new Notification("slack", ParamValue.mapOf(Map.of("channel", "#incidents", "message",
                                "❌ Runbook failed for OOMKilled incident\nPod: {{ incident.resource.name }}\n"
                                        + "Error: {{ error_message }}\nManual intervention required\n"))))))
                .rollbackStep(ActionStep.builder("Revert memory change", "kubectl_patch").param("resource", "deployment")
                        .param("name", "{{ incident.resource.controller }}").param("patch", revertTree).build())
                .build();
    }

    static Incident incident() {
        return Incident.builder("event-abc123").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.92)
                .resource(new ResourceRef("Pod", "web-7d9f-x2", "default", Optional.of("uid-1"), Optional.of("web"),
                        Optional.of("app")))
                .build();
    }

    @BeforeEach
    void start() throws IOException {
        slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slack.createContext("/services/T000/B000", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) Json.parse(body);
            slackMessages.add(json);
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        slack.start();
        cluster.memoryLimits.put("web-7d9f-x2", "256Mi");
        // the stand-in cluster reports the pod ready once the deployment was patched
        WaitConditionProvider podReady = text -> text.matches("pod/\\S+ ready")
                ? Optional.of(new WaitCondition() {
                    @Override
                    public String description() {
                        return text;
                    }

                    @Override
                    public boolean isMet(dev.runbook.core.action.ActionContext ctx) throws InterruptedException {
                        var hold = holdAfterPatch;
                        if (hold != null && !ctx.dryRun() && !cluster.patches.isEmpty()) {
                            heldAfterPatch.countDown();
                            hold.await();
                        }
                        return !cluster.patches.isEmpty();
                    }
                })
                : Optional.empty();
        URI slackUrl = URI.create("http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T000/B000");
        engine = RunbookEngine.builder().discoverActions(false).clock(clock)
                .sleeper(new EngineTestSupport.RecordingSleeper(clock))
                .runbook(seedRunbook())
                .actionProvider(new BuiltinActions(BuiltinActionsConfig.custom().waitConditionProvider(podReady).build()))
                .actions(cluster.kubectlGet(), cluster.kubectlPatch(), cluster.checkNeo4j())
                .notifier(new SlackNotifier(slackUrl))
                .build();
    }

    @AfterEach
    void stop() {
        engine.close();
        slack.stop(0);
    }

    @Test
    void twoCrashingPodsOfOneDeploymentGetOneMemoryFix() throws Exception {
        cluster.memoryLimits.put("web-7d9f-y3", "256Mi");
        holdAfterPatch = new java.util.concurrent.CountDownLatch(1);
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> engine.handle(incident()));
        assertThat(heldAfterPatch.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // a second pod of the same Deployment crashes while the first fix is still verifying
        Incident sibling = Incident.builder("event-def456").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.92)
                .resource(new ResourceRef("Pod", "web-7d9f-y3", "default", Optional.of("uid-2"), Optional.of("web"),
                        Optional.of("app")))
                .build();
        Execution second = engine.handle(sibling);
        holdAfterPatch.countDown();

        assertThat(second.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(second.denial().orElseThrow().guard()).isEqualTo("targets");
        assertThat(second.denial().orElseThrow().reason())
                .startsWith("resource Deployment/default/web already has an active execution (");
        assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        // the limit was doubled once, not twice
        assertThat(cluster.patches).containsExactly("web:536870912");
    }

    @Test
    void remediatesAfterADryRunAndNotifiesSuccess() {
        Execution e = engine.handle(incident());

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.runbookId()).isEqualTo("oomkilled-increase-memory-v1");
        assertThat(e.guardDecisions()).extracting(d -> d.guard() + "=" + d.allowed())
                .containsExactly("enabled=true", "confidence=true", "dedupe=true", "rate_limit=true", "dry_run=true",
                        "blast_radius=true", "targets=true");
        // the Deployment the plan patches was locked, not only the crashing pod
        assertThat(e.guardDecisions().get(6).reason()).isEqualTo(
                "locked the 1 other resource(s) the plan changes: Deployment/default/web");
        // the dry run ran every step without patching
        assertThat(e.dryRunSteps()).extracting(StepResult::name).containsExactly("Get current memory limit",
                "Calculate new memory limit", "Update Deployment memory limit", "Wait for pod to restart",
                "Verify incident resolved");
        assertThat(e.dryRunSteps().get(2).summary()).isEqualTo("would set memory of web to 536870912");
        // the real run patched exactly once, with the doubled limit, keeping the container's name
        assertThat(cluster.patches).containsExactly("web:536870912");
        assertThat(e.step("Update Deployment memory limit").orElseThrow().params()).extracting("patch")
                .isEqualTo(Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(Map.of("name", "app",
                        "resources", Map.of("limits", Map.of("memory", 536870912L)))))))));
        assertThat(e.actionsTaken()).containsExactly("set memory of web to 536870912");
        assertThat(e.notifications()).singleElement().satisfies(n -> assertThat(n.sent()).isTrue());
        assertThat(slackMessages).singleElement().satisfies(m -> {
            assertThat(m).containsEntry("channel", "#incidents");
            assertThat((String) m.get("text")).isEqualTo("✅ Auto-remediated OOMKilled incident\nPod: web-7d9f-x2\n"
                    + "Action: Increased memory 256Mi → 536870912\nRCA Confidence: 0.92\n");
        });
    }

    @Test
    void aFailedVerificationRollsBackAndNotifiesFailure() {
        cluster.newFailures.set(3);
        Execution e = engine.handle(incident());

        // the dry run cannot know the state after the change: a false expect is noted, not fatal
        assertThat(e.guardDecisions()).extracting(d -> d.guard() + "=" + d.allowed()).contains("dry_run=true");
        assertThat(e.dryRunSteps().get(4).summary())
                .isEqualTo("expect 'new_failures == 0' was false (result: {new_failures=3}) before the change; "
                        + "checked again in the real run");
        assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(e.error()).hasValue("step 'Verify incident resolved' failed: expect 'new_failures == 0' was false "
                + "(result: {new_failures=3})");
        assertThat(cluster.patches).containsExactly("web:536870912", "web:256Mi");
        assertThat(e.rollbackSteps()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(StepStatus.SUCCEEDED));
        assertThat(e.actionsTaken()).containsExactly("set memory of web to 536870912", "rollback: set memory of web to 256Mi");
        assertThat(slackMessages).singleElement().satisfies(m -> assertThat((String) m.get("text"))
                .isEqualTo("❌ Runbook failed for OOMKilled incident\nPod: web-7d9f-x2\nError: step 'Verify incident resolved' "
                        + "failed: expect 'new_failures == 0' was false (result: {new_failures=3})\nManual intervention required\n"));
    }

    @Test
    void stepsCanTellTheDryRunFromTheRealOne() {
        var seen = new java.util.concurrent.CopyOnWriteArrayList<Object>();
        var record = new FakeCluster.Simple("record", false, dev.runbook.core.action.ParamSchema.open()) {
            @Override
            public dev.runbook.core.action.ActionResult execute(dev.runbook.core.action.ActionContext ctx) {
                seen.add(ctx.params().get("dry"));
                return dev.runbook.core.action.ActionResult.empty();
            }
        };
        Runbook rb = Runbook.builder("dry-aware").trigger(Trigger.any())
                .safety(Safety.builder().dryRunFirst(true).build())
                .step(ActionStep.builder("always", "record").param("dry", "{{ execution.dry_run }}").build())
                .step(ActionStep.builder("real-only", "record").param("dry", "real").when("!execution.dry_run").build())
                .build();
        try (RunbookEngine e = RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb).actions(record).build()) {
            assertThat(e.handle(incident()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
        assertThat(seen).containsExactly(true, false, "real");
    }
}
