package dev.runbook.core.action.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.action.builtin.LoopbackHttpServer.Reply;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.core.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookActionTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private LoopbackHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = LoopbackHttpServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static BuiltinActionsConfig.Builder allowingLoopback() {
        return BuiltinActionsConfig.custom().allowWebhookHost("127.0.0.1").httpClient(CLIENT);
    }

    private static Action action(BuiltinActionsConfig config, String name) {
        return new BuiltinActions(config).actions().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private Action webhook() {
        return action(allowingLoopback().build(), "webhook");
    }

    private static ActionException failure(Action action, TestActionContext ctx) {
        try {
            action.execute(ctx);
        } catch (ActionException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an ActionException, got " + e, e);
        }
        throw new AssertionError("expected " + action.name() + " to fail");
    }

    @Test
    void postsTheJsonBodyAndHeadersAndReturnsParsedOutput() throws Exception {
        server.respond(201, "application/json; charset=utf-8", "{\"id\": 7, \"ok\": true}");
        var action = webhook();
        var ctx = TestActionContext.builder(action)
                .param("url", server.url("/hooks/restart?token=s3cret").toString())
                .param("headers", Map.of("X-Token", "abc", "X-Count", 3))
                .param("body", Map.of("incident", "evt-1", "replicas", 2))
                .build();

        ActionResult result = action.execute(ctx);

        assertThat(server.requests()).hasSize(1);
        var req = server.requests().get(0);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.path()).isEqualTo("/hooks/restart");
        assertThat(req.query()).isEqualTo("token=s3cret");
        assertThat(req.header("Content-Type")).isEqualTo("application/json");
        assertThat(req.header("X-Token")).isEqualTo("abc");
        assertThat(req.header("X-Count")).isEqualTo("3");
        assertThat(Json.parse(req.body())).isEqualTo(Map.of("incident", "evt-1", "replicas", 2L));

        @SuppressWarnings("unchecked")
        var out = (Map<String, Object>) result.output().orElseThrow();
        assertThat(out.get("status")).isEqualTo(201L);
        assertThat(out.get("body")).isEqualTo(Map.of("id", 7L, "ok", true));
        assertThat(out.get("headers")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("content-type", "application/json; charset=utf-8");
        assertThat(result.touched()).containsExactly(new TouchedResource("Webhook", "", "127.0.0.1", "POST /hooks/restart"));
        assertThat(result.summary()).isEqualTo("POST " + server.url("/hooks/restart") + " -> 201")
                .doesNotContain("s3cret");
    }

    @Test
    void sendsTextBodiesAsIsWithTheGivenContentTypeAndReturnsTextResponses() throws Exception {
        server.respond(200, "text/plain", "accepted");
        var action = webhook();
        var ctx = TestActionContext.builder(action).param("url", server.url("/t").toString())
                .param("method", "put").param("headers", Map.of("content-type", "text/plain"))
                .param("body", "a=b&c={d}").build();

        var out = (Map<?, ?>) action.execute(ctx).output().orElseThrow();

        var req = server.requests().get(0);
        assertThat(req.method()).isEqualTo("PUT");
        assertThat(req.body()).isEqualTo("a=b&c={d}");
        assertThat(req.header("content-type")).isEqualTo("text/plain");
        assertThat(out.get("body")).isEqualTo("accepted");
    }

    @Test
    void refusesHostsNotOnTheAllowListWithoutSendingAnything() {
        var action = action(BuiltinActionsConfig.custom().allowWebhookHost("hooks.slack.com").httpClient(CLIENT).build(),
                "webhook");
        var ctx = TestActionContext.builder(action).param("url", server.url("/x").toString()).build();

        var e = failure(action, ctx);

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("'127.0.0.1'", "not allowed", "allowWebhookHost(\"127.0.0.1\")",
                "runbook.webhook.allowed-hosts", "RUNBOOK_WEBHOOK_ALLOWED_HOSTS");
        assertThat(server.count()).isZero();
    }

    @Test
    void theDefaultConfigurationDeniesEveryHost() {
        var action = action(BuiltinActionsConfig.ofDefaults(), "webhook");
        var ctx = TestActionContext.builder(action).param("url", server.url("/x").toString()).build();

        assertThat(failure(action, ctx).getMessage()).contains("no host is allowed yet");
        assertThat(server.count()).isZero();
    }

    @Test
    void allowListMatchesHostsCaseInsensitively() throws Exception {
        var action = action(BuiltinActionsConfig.custom().allowWebhookHost("LOCALHOST").httpClient(CLIENT).build(),
                "webhook");
        var url = "http://LocalHost:" + server.url("/").getPort() + "/ci";
        var ctx = TestActionContext.builder(action).param("url", url).build();

        action.execute(ctx);

        assertThat(server.count()).isEqualTo(1);
    }

    @Test
    void serverErrorsAndTooManyRequestsAreRetryable() {
        var action = webhook();
        server.respond(503, "text/plain", "upstream down");
        var e = failure(action, TestActionContext.builder(action).param("url", server.url("/x").toString()).build());
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 503", "upstream down");

        server.respond(429, "text/plain", "slow down");
        assertThat(failure(action, TestActionContext.builder(action).param("url", server.url("/x").toString()).build())
                .retryable()).isTrue();
    }

    @Test
    void otherUnexpectedStatusesArePermanentAndQuoteTheStartOfTheBody() {
        var action = webhook();
        String body = "n".repeat(200) + "TAIL";
        server.respond(404, "text/plain", body);

        var e = failure(action, TestActionContext.builder(action).param("url", server.url("/missing").toString()).build());

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 404", "n".repeat(200)).doesNotContain("TAIL");
    }

    @Test
    void expectStatusDecidesWhatCountsAsSuccess() throws Exception {
        var action = webhook();
        server.respond(404, "application/json", "{\"gone\":true}");
        var ctx = TestActionContext.builder(action).param("url", server.url("/x").toString())
                .param("method", "DELETE").param("expect_status", List.of(200, "404")).build();

        var out = (Map<?, ?>) action.execute(ctx).output().orElseThrow();
        assertThat(out.get("status")).isEqualTo(404L);

        server.respond(200, "text/plain", "");
        var strict = TestActionContext.builder(action).param("url", server.url("/x").toString())
                .param("expect_status", List.of(204)).build();
        assertThat(failure(action, strict).getMessage()).contains("HTTP 200");
    }

    @Test
    void honoursTheTimeoutParameter() throws Exception {
        var release = new CountDownLatch(1);
        server.respond(r -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.of(200, "text/plain", "late");
        });
        var action = webhook();
        try {
            var e = failure(action, TestActionContext.builder(action).param("url", server.url("/slow").toString())
                    .param("timeout", "200ms").build());
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("timed out after 200ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void theStepDeadlineShortensTheTimeout() {
        var release = new CountDownLatch(1);
        server.respond(r -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.of(200, "text/plain", "late");
        });
        var action = webhook();
        try {
            var e = failure(action, TestActionContext.builder(action).param("url", server.url("/slow").toString())
                    .deadlineIn(Duration.ofMillis(150)).build());
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("timed out after 150ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void dryRunSendsNothingAndReportsWhatItWouldTouch() throws Exception {
        var action = webhook();
        var ctx = TestActionContext.builder(action).param("url", server.url("/deploy?key=secret").toString())
                .param("method", "PATCH").param("body", Map.of("a", 1)).dryRun(true).build();

        var result = action.execute(ctx);

        assertThat(server.count()).isZero();
        assertThat(result.output()).contains(Map.of("dry_run", true, "method", "PATCH",
                "url", server.url("/deploy").toString()));
        assertThat(result.touched()).containsExactly(new TouchedResource("Webhook", "", "127.0.0.1", "PATCH /deploy"));
        assertThat(action.mutating()).isTrue();
    }

    @Test
    void rejectsBadMethodsSchemesAndBodies() {
        var action = webhook();
        var badMethod = failure(action, TestActionContext.builder(action).param("url", server.url("/").toString())
                .param("method", "TRACE").build());
        assertThat(badMethod.getMessage()).contains("parameter 'method'", "'TRACE'");
        assertThat(badMethod.retryable()).isFalse();

        var badScheme = failure(action, TestActionContext.builder(action).param("url", "ftp://127.0.0.1/file").build());
        assertThat(badScheme.getMessage()).contains("parameter 'url'", "http or https");

        var getWithBody = failure(action, TestActionContext.builder(action).param("url", server.url("/").toString())
                .param("method", "GET").param("body", Map.of("a", 1)).build());
        assertThat(getWithBody.getMessage()).contains("parameter 'body'", "GET");

        var badStatus = failure(action, TestActionContext.builder(action).param("url", server.url("/").toString())
                .param("expect_status", List.of("ok")).build());
        assertThat(badStatus.getMessage()).contains("parameter 'expect_status'", "'ok'");
        assertThat(server.count()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding", "content-length", "Connection", "Keep-Alive", "Proxy-Connection",
        "TE", "Trailer", "Upgrade", "HOST", "Expect"})
    void refusesFramingAndHopByHopHeadersNamingThemAndSendsNothing(String header) {
        var action = webhook();
        var ctx = TestActionContext.builder(action).param("url", server.url("/hook").toString())
                .param("headers", Map.of("X-Token", "abc", header, "chunked"))
                .param("body", Map.of("a", 1)).build();

        var e = failure(action, ctx);

        assertThat(e.getMessage()).startsWith("parameter 'headers': header '" + header + "' is refused: it frames or "
                + "routes the request (Transfer-Encoding, Content-Length, Connection, Keep-Alive, Proxy-Connection, "
                + "TE, Trailer, Upgrade, Host, Expect), which the HTTP client sets itself; remove it from the step's "
                + "headers");
        assertThat(e.retryable()).isFalse();
        assertThat(server.count()).isZero();
        var dryRun = failure(action, TestActionContext.builder(action).param("url", server.url("/hook").toString())
                .param("headers", Map.of(header, "x")).dryRun(true).build());
        assertThat(dryRun.getMessage()).contains("header '" + header + "' is refused");
    }

    @Test
    void slackNotifyPostsTextAndChannel() throws Exception {
        var action = action(allowingLoopback().build(), "slack_notify");
        var ctx = TestActionContext.builder(action).param("message", "Memory raised to 512Mi \"ok\"")
                .param("channel", "#sre-alerts").param("webhook_url", server.url("/services/T0/B0/XYZ").toString())
                .build();

        var result = action.execute(ctx);

        var req = server.requests().get(0);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.path()).isEqualTo("/services/T0/B0/XYZ");
        assertThat(req.header("content-type")).isEqualTo("application/json");
        assertThat(Json.parse(req.body())).isEqualTo(Map.of("text", "Memory raised to 512Mi \"ok\"", "channel", "#sre-alerts"));
        assertThat(result.touched()).isEmpty();
        assertThat(result.summary()).isEqualTo("posted a Slack message to #sre-alerts");
        assertThat(action.mutating()).isTrue();
    }

    @Test
    void slackNotifyUsesTheConfiguredWebhookWhoseHostIsAllowedImplicitly() throws Exception {
        URI slack = server.url("/services/T/B/C");
        var action = action(BuiltinActionsConfig.custom().slackWebhookUrl(slack).httpClient(CLIENT).build(),
                "slack_notify");

        action.execute(TestActionContext.builder(action).param("message", "done").build());

        assertThat(Json.parse(server.requests().get(0).body())).isEqualTo(Map.of("text", "done"));
        assertThat(server.requests().get(0).path()).isEqualTo("/services/T/B/C");
    }

    @Test
    void slackNotifyWithoutAnyWebhookFailsPermanently() {
        var action = action(allowingLoopback().build(), "slack_notify");
        var e = failure(action, TestActionContext.builder(action).param("message", "x").build());
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("'webhook_url'", "slackWebhookUrl");
    }

    @Test
    void slackNotifyRefusesWebhookUrlsOnOtherHosts() {
        var action = action(BuiltinActionsConfig.custom().slackWebhookUrl(URI.create("https://hooks.slack.com/services/a"))
                .httpClient(CLIENT).build(), "slack_notify");
        var e = failure(action, TestActionContext.builder(action).param("message", "x")
                .param("webhook_url", server.url("/steal").toString()).build());
        assertThat(e.getMessage()).contains("'127.0.0.1'", "not allowed");
        assertThat(server.count()).isZero();
    }

    @Test
    void slackNotifyDryRunSendsNothing() throws Exception {
        var action = action(allowingLoopback().build(), "slack_notify");
        var result = action.execute(TestActionContext.builder(action).param("message", "x")
                .param("webhook_url", server.url("/s").toString()).dryRun(true).build());
        assertThat(server.count()).isZero();
        assertThat(result.output().orElseThrow()).isEqualTo(Map.of("message", "x", "dry_run", true));
    }

    @Test
    void slackNotifyServerErrorIsRetryableAndNamesTheStatusButNotTheSecretPath() {
        server.respond(500, "text/plain", "oops");
        var action = action(allowingLoopback().build(), "slack_notify");
        var e = failure(action, TestActionContext.builder(action).param("message", "x")
                .param("webhook_url", server.url("/services/SECRET").toString()).build());
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 500").doesNotContain("SECRET");
    }
}
