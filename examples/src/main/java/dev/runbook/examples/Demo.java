package dev.runbook.examples;

import com.sun.net.httpserver.HttpServer;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.action.builtin.BuiltinActionsConfig;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.InMemoryExecutionStats;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.core.notify.SlackNotifier;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The demo: a host that embeds the engine the way kg-builder does, on embedded defaults. Three incidents go
 * through matching, guardrails, dry run, execution, verification, rollback and Slack notification (to a
 * real HTTP receiver on loopback), and the timeline is printed.
 *
 * <p>Kubernetes and Neo4j are simulated here ({@link SimulatedCluster}) until runbook-k8s and runbook-neo4j
 * ship; the runbooks are the seed's, unchanged in substance.
 */
public final class Demo {
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private final List<String> slackReceived = Collections.synchronizedList(new ArrayList<>());

    Demo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo; exit code 0 when every incident ended as expected. */
    public static void main(String[] args) throws Exception {
        int code = new Demo(System.out).run();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The seed's OOMKilled runbook, written with the Java model. */
    static Runbook oomKilled() {
        Map<String, Object> patch = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "{{ incident.resource.container_name }}",
                        "resources", Map.of("limits", Map.of("memory", "{{ new_memory }}"))))))));
        Map<String, Object> revert = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "{{ incident.resource.container_name }}",
                        "resources", Map.of("limits", Map.of("memory", "{{ current_memory }}"))))))));
        return Runbook.builder("oomkilled-increase-memory-v1").name("Auto-remediate OOMKilled by increasing memory")
                .version("1.0").author("sre-team")
                .trigger(Trigger.builder().rootCauseReason("OOMKilled").symptomReason("CrashLoopBackOff", "BackOff", "Error")
                        .minConfidence(0.80).resourceKind("Pod").build())
                .safety(Safety.builder().maxExecutionsPerHour(5).blastRadiusLimit(10).dryRunFirst(true).build())
                .step(ActionStep.builder("Get current memory limit", "kubectl_get").param("resource", "pod")
                        .param("name", "{{ incident.resource.name }}").param("namespace", "{{ incident.resource.namespace }}")
                        .param("field", "spec.containers[0].resources.limits.memory").outputVar("current_memory").build())
                .step(ActionStep.builder("Calculate new memory limit", "calculate")
                        .param("expression", "{{ current_memory | parse_memory | multiply(2) | format_memory }}")
                        .outputVar("new_memory").build())
                .step(ActionStep.builder("Update Deployment memory limit", "kubectl_patch").param("resource", "deployment")
                        .param("name", "{{ incident.resource.controller }}").param("namespace", "{{ incident.resource.namespace }}")
                        .param("patch", patch).build())
                .step(ActionStep.builder("Wait for pod to restart", "wait")
                        .param("condition", "pod/{{ incident.resource.name }} ready").param("timeout", 300)
                        .param("poll_interval", "10ms").build())
                .step(ActionStep.builder("Verify incident resolved", "check_neo4j")
                        .param("query", "MATCH (new_incident:Episodic)-[:ABOUT]->(r:Resource {rid: $resource_rid}) "
                                + "WHERE new_incident.event_time > $incident_time + duration({minutes: 5}) "
                                + "RETURN count(new_incident) AS new_failures")
                        .expect("new_failures == 0").build())
                .notifications(new Notifications(
                        List.of(new Notification("slack", ParamValue.mapOf(Map.of("channel", "#incidents", "message",
                                "Auto-remediated OOMKilled incident. Pod: {{ incident.resource.name }}. "
                                        + "Action: increased memory {{ current_memory }} -> {{ new_memory }}. "
                                        + "RCA confidence: {{ incident.rca_confidence }}")))),
                        List.of(new Notification("slack", ParamValue.mapOf(Map.of("channel", "#incidents", "message",
                                "Runbook failed for OOMKilled incident. Pod: {{ incident.resource.name }}. "
                                        + "Error: {{ error_message }}. Manual intervention required"))))))
                .rollbackStep(ActionStep.builder("Revert memory change", "kubectl_patch").param("resource", "deployment")
                        .param("name", "{{ incident.resource.controller }}").param("patch", revert).build())
                .build();
    }

    /** The seed's ImagePullBackOff runbook (approval required; its trigger needs confidence 0.75). */
    static Runbook imagePullBackOff() {
        return Runbook.builder("imagepullbackoff-fix-auth-v1").name("Fix registry auth").version("1.0")
                .trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").minConfidence(0.75).build())
                .safety(Safety.builder().requireApproval(true).build())
                .parameter(Parameter.secret("registry_config", "docker config JSON for the registry"))
                .step(ActionStep.builder("Check if secret exists", "kubectl_get").param("resource", "secret")
                        .param("name", "regcred").param("namespace", "{{ incident.resource.namespace }}").build())
                .build();
    }

    int run() throws IOException {
        HttpServer slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slack.createContext("/hooks/demo", exchange -> {
            slackReceived.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        slack.start();
        URI slackUrl = URI.create("http://127.0.0.1:" + slack.getAddress().getPort() + "/hooks/demo");
        var cluster = new SimulatedCluster()
                .deployment("web", "web-7d9f-x2", "256Mi")
                .deployment("api", "api-5c6b-q1", "512Mi").failuresAfterPatch("api", 2)
                .deployment("shop", "shop-1a2b-c3", "128Mi");
        var stats = new InMemoryExecutionStats();
        line("Runbook demo: the engine embedded in a host, on embedded defaults");
        line("  Kubernetes and Neo4j are simulated in-process; Slack notifications go to http receiver " + slackUrl);
        int failures = 0;
        try (RunbookEngine engine = RunbookEngine.builder()
                .runbooks(List.of(oomKilled(), imagePullBackOff()))
                .actionProvider(new BuiltinActions(BuiltinActionsConfig.custom().waitConditionProvider(cluster).build()))
                .actionProvider(cluster)
                .parameter("registry_config", "{\"auths\":{}}")
                .notifier(new SlackNotifier(slackUrl))
                .listener(stats)
                .build()) {
            line("  runbooks loaded: " + String.join(", ", engine.runbooks().stream().map(Runbook::id).toList()));
            failures += expect(handle(engine, incident("event-oom-1", "OOMKilled", 0.92, "web-7d9f-x2", "web")), "SUCCEEDED");
            failures += expect(handle(engine, incident("event-img-1", "ImagePullBackOff", 0.60, "shop-1a2b-c3", "shop")), "NO_MATCH");
            failures += expect(handle(engine, incident("event-oom-2", "OOMKilled", 0.91, "api-5c6b-q1", "api")), "ROLLED_BACK");
            line("");
            line("Memory limits now: web=" + cluster.memoryOf("web") + " (was 256Mi), api=" + cluster.memoryOf("api")
                    + " (restored by rollback)");
            line("Slack receiver got " + slackReceived.size() + " message(s)");
            stats.all().forEach((id, s) -> line(String.format(Locale.ROOT,
                    "Stats %s: %d execution(s), success rate %.0f%%, rolled back %d, denied %d", id, s.executions(),
                    s.successRate() * 100, s.rolledBack(), s.denied())));
        } finally {
            slack.stop(0);
        }
        line(failures == 0 ? "Demo finished: every incident ended as expected." : "Demo finished with " + failures + " surprise(s).");
        return failures == 0 ? 0 : 1;
    }

    private static Incident incident(String id, String cause, double confidence, String pod, String deployment) {
        return Incident.builder(id).symptomReason(cause.equals("OOMKilled") ? "CrashLoopBackOff" : "ErrImagePull")
                .rootCause(cause, confidence)
                .resource(new ResourceRef("Pod", pod, "default", Optional.empty(), Optional.of(deployment), Optional.of("app")))
                .cluster("demo").build();
    }

    private Execution handle(RunbookEngine engine, Incident i) {
        line("");
        line("Incident " + i.incidentId() + ": " + i.symptomReason() + " on Pod " + i.resource().namespace() + "/"
                + i.resource().name() + ", root cause " + i.rootCauseReason()
                + String.format(Locale.ROOT, " (confidence %.2f)", i.rcaConfidence()));
        Execution e = engine.handle(i);
        for (RunbookMatch m : e.match().matches()) {
            line("  match    " + m.runbook().id() + ": " + m.why());
        }
        for (RunbookMatch m : e.match().rejected()) {
            line("  no match " + m.runbook().id() + ": " + m.why());
        }
        for (GuardDecision d : e.guardDecisions()) {
            line("  guard    " + (d.allowed() ? "allow " : "DENY  ") + d.guard() + ": " + d.reason());
            if (d.guard().equals("dry_run")) {
                e.dryRunSteps().forEach(s -> step("    dry run", s));
            }
        }
        e.steps().forEach(s -> step("  step    ", s));
        e.rollbackSteps().forEach(s -> step("  rollback", s));
        e.notifications().forEach(n -> line("  notify   " + n.channel() + (n.sent() ? " sent: " : " NOT sent (" + n.error().orElse("") + "): ")
                + n.message()));
        e.actionsTaken().forEach(a -> line("  action   " + a));
        line("  result   " + e.status() + e.error().map(err -> " - " + err).orElse(""));
        return e;
    }

    private void step(String prefix, StepResult s) {
        String mark = switch (s.status()) {
            case SUCCEEDED -> "ok  ";
            case FAILED -> "FAIL";
            case SKIPPED -> "skip";
            case NOT_RUN_IN_DRY_RUN -> "n/a ";
        };
        String detail = s.error().orElse(s.summary().isEmpty() ? s.output().map(o -> "-> " + o).orElse("") : s.summary());
        line(prefix + " " + mark + " " + s.name() + " [" + s.action() + "] " + detail);
    }

    private int expect(Execution e, String status) {
        return e.status().name().equals(status) ? 0 : 1;
    }

    private void line(String text) {
        double secs = (System.nanoTime() - t0) / 1e9;
        out.println(text.isEmpty() ? "" : String.format(Locale.ROOT, "[%6.3fs] %s", secs, text));
    }
}
