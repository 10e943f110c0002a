package dev.runbook.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.builtin.LoopbackHttpServer;
import dev.runbook.core.action.builtin.LoopbackHttpServer.Reply;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.internal.Json;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import dev.runbook.core.retry.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Teams notifier against a loopback server answering as a Teams incoming webhook does. */
class TeamsNotifierTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Backoff QUICK = Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(2), 3);

    private LoopbackHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = LoopbackHttpServer.start().respond(200, "text/plain", "1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TeamsNotifier notifier() {
        return new TeamsNotifier(server.url("/webhookb2/SECRET/IncomingWebhook/x"), CLIENT, Duration.ofSeconds(5),
                QUICK, Clock.systemUTC());
    }

    private static NotificationMessage message(Map<String, Object> params, boolean success) {
        return new NotificationMessage("teams", params, success, "exec-42", "oomkilled-increase-memory-v1", "evt-7");
    }

    @Test
    void postsAMessageCardWithFacts() throws Exception {
        notifier().send(message(Map.of("message", "Memory of web: 256Mi -> 512Mi"), true));

        var req = server.requests().get(0);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.header("content-type")).isEqualTo("application/json");
        assertThat(Json.parse(req.body())).isEqualTo(Map.of(
                "@type", "MessageCard",
                "@context", "https://schema.org/extensions",
                "summary", "Runbook oomkilled-increase-memory-v1 succeeded",
                "themeColor", "2EB886",
                "title", "Runbook oomkilled-increase-memory-v1 succeeded",
                "text", "Memory of web: 256Mi -> 512Mi",
                "sections", List.of(Map.of("facts", List.of(
                        Map.of("name", "Runbook", "value", "oomkilled-increase-memory-v1"),
                        Map.of("name", "Incident", "value", "evt-7"),
                        Map.of("name", "Execution", "value", "exec-42"),
                        Map.of("name", "Outcome", "value", "succeeded"))))));
        assertThat(notifier().channel()).isEqualTo("teams");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailureIsRedAndCarriesItsTitleAndOtherParamsAsFacts() throws Exception {
        notifier().send(message(Map.of("message", "Failed: \"}]} {{ 7*7 }}", "title", "OOM fix failed",
                "severity", "high"), false));

        var card = (Map<String, Object>) Json.parse(server.requests().get(0).body());
        assertThat(card).containsEntry("themeColor", "D00000").containsEntry("title", "OOM fix failed")
                .containsEntry("summary", "OOM fix failed").containsEntry("text", "Failed: \"}]} {{ 7*7 }}");
        var facts = (List<Map<String, Object>>) ((List<Map<String, Object>>) card.get("sections")).get(0).get("facts");
        assertThat(facts).contains(Map.of("name", "Outcome", "value", "failed"),
                Map.of("name", "severity", "value", "high"));
    }

    @Test
    void a429IsRetriedAfterItsRetryAfter() throws Exception {
        var arrivals = new CopyOnWriteArrayList<Long>();
        var calls = new AtomicInteger();
        server.respond(r -> {
            arrivals.add(System.nanoTime());
            return calls.getAndIncrement() == 0 ? new Reply(429, Map.of("Retry-After", "1"), "Too many requests")
                    : Reply.of(200, "text/plain", "1");
        });

        notifier().send(message(Map.of("message", "done"), true));

        assertThat(server.count()).isEqualTo(2);
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retriesAreBounded() {
        server.respond(503, "text/plain", "busy");
        assertThatThrownBy(() -> notifier().send(message(Map.of("message", "x"), true)))
                .isInstanceOf(ActionException.class).hasMessageContaining("HTTP 503").hasMessageContaining("busy");
        assertThat(server.count()).isEqualTo(3);
    }

    @Test
    void a400IsReportedWithItsTextAndNotRetriedNorShowingTheSecretPath() {
        server.respond(400, "text/plain", "Summary or Text is required.");
        assertThatThrownBy(() -> notifier().send(message(Map.of("message", "x"), true)))
                .isInstanceOf(ActionException.class).hasMessageContaining("HTTP 400")
                .hasMessageContaining("Summary or Text is required.").hasMessageNotContaining("SECRET");
        assertThat(server.count()).isEqualTo(1);
    }

    @Test
    void anErrorTextIn200IsAFailureToo() {
        server.respond(200, "text/plain", "Webhook message delivery failed with error: Microsoft Teams endpoint "
                + "returned HTTP error 413");
        assertThatThrownBy(() -> notifier().send(message(Map.of("message", "x"), true)))
                .hasMessageContaining("did not accept the card (HTTP 200)").hasMessageContaining("413");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunbooksTeamsKeyReachesTheTeamsNotifier() {
        Runbook rb = Runbook.builder("oom-v1").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("note", "log").param("message", "ok").build())
                .notifications(new Notifications(List.of(new Notification("teams", ParamValue.mapOf(Map.of(
                        "message", "Fixed {{ incident.resource.name }}")))), List.of()))
                .build();
        Incident incident = Incident.builder("evt-7").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(new ResourceRef("Pod", "web-1", "default", Optional.empty(), Optional.empty(),
                        Optional.empty())).build();
        try (RunbookEngine engine = RunbookEngine.builder().runbook(rb).notifier(notifier()).build()) {
            Execution e = engine.handle(incident);
            assertThat(e.notifications()).singleElement().satisfies(n -> assertThat(n.sent()).isTrue());
        }
        var card = (Map<String, Object>) Json.parse(server.requests().get(0).body());
        assertThat(card).containsEntry("text", "Fixed web-1").containsEntry("themeColor", "2EB886");
    }

    @Test
    void rejectsNonHttpUrlsAndBadTimeouts() {
        assertThatThrownBy(() -> new TeamsNotifier(URI.create("file:///etc/passwd")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Teams webhook URL");
        assertThatThrownBy(() -> new TeamsNotifier(server.url("/"), CLIENT, Duration.ZERO))
                .hasMessageContaining("timeout");
    }
}
