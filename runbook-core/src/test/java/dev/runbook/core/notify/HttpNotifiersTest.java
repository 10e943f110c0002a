package dev.runbook.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.builtin.LoopbackHttpServer;
import dev.runbook.core.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpNotifiersTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private LoopbackHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = LoopbackHttpServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static NotificationMessage message(String channel, Map<String, Object> params, boolean success) {
        return new NotificationMessage(channel, params, success, "exec-42", "oomkilled-increase-memory-v1", "evt-7");
    }

    @Test
    void slackNotifierPostsTextAndChannel() throws Exception {
        var notifier = new SlackNotifier(server.url("/services/T/B/C"), CLIENT);

        notifier.send(message("slack", Map.of("channel", "#sre-alerts", "message", "Raised memory of\npayments-api"), true));

        assertThat(notifier.channel()).isEqualTo("slack");
        var req = server.requests().get(0);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.path()).isEqualTo("/services/T/B/C");
        assertThat(req.header("content-type")).isEqualTo("application/json");
        assertThat(Json.parse(req.body())).isEqualTo(Map.of("text", "Raised memory of\npayments-api",
                "channel", "#sre-alerts"));
    }

    @Test
    void slackNotifierLeavesOutAnAbsentChannel() throws Exception {
        new SlackNotifier(server.url("/s"), CLIENT).send(message("slack", Map.of("message", "done"), true));
        assertThat(Json.parse(server.requests().get(0).body())).isEqualTo(Map.of("text", "done"));
    }

    @Test
    void slackNotifierFailsOnNon2xxNamingTheStatusButNotTheSecretPath() {
        server.respond(403, "text/plain", "invalid_token");
        var notifier = new SlackNotifier(server.url("/services/SECRET"), CLIENT, Duration.ofSeconds(5));
        assertThatThrownBy(() -> notifier.send(message("slack", Map.of("message", "x"), false)))
                .hasMessageContaining("HTTP 403").hasMessageContaining("invalid_token")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void webhookNotifierPostsTheExecutionAsJson() throws Exception {
        var notifier = new WebhookNotifier(server.url("/notify"), CLIENT);
        var params = new LinkedHashMap<String, Object>();
        params.put("message", "Remediation failed");
        params.put("severity", "high");

        notifier.send(message("webhook", params, false));

        assertThat(notifier.channel()).isEqualTo("webhook");
        var req = server.requests().get(0);
        assertThat(req.header("content-type")).isEqualTo("application/json");
        assertThat(Json.parse(req.body())).isEqualTo(Map.of(
                "execution_id", "exec-42",
                "runbook_id", "oomkilled-increase-memory-v1",
                "incident_id", "evt-7",
                "success", false,
                "message", "Remediation failed",
                "params", Map.of("message", "Remediation failed", "severity", "high")));
    }

    @Test
    void webhookNotifierFailsOnNon2xx() {
        server.respond(500, "text/plain", "boom");
        var notifier = new WebhookNotifier(server.url("/notify"), CLIENT);
        assertThatThrownBy(() -> notifier.send(message("webhook", Map.of(), true))).hasMessageContaining("HTTP 500")
                .hasMessageContaining("boom");
    }

    @Test
    void notifiersRejectNonHttpUrls() {
        assertThatThrownBy(() -> new SlackNotifier(URI.create("file:///etc/passwd")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Slack webhook URL");
        assertThatThrownBy(() -> new WebhookNotifier(URI.create("/relative"), CLIENT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhook URL");
        assertThatThrownBy(() -> new WebhookNotifier(server.url("/"), CLIENT, Duration.ZERO))
                .hasMessageContaining("timeout");
    }
}
