package dev.runbook.slack;

import static dev.runbook.slack.SignedClicks.SECRET;
import static dev.runbook.slack.SignedClicks.body;
import static dev.runbook.slack.SignedClicks.signed;
import static dev.runbook.slack.SlackTestSupport.gateway;
import static dev.runbook.slack.SlackTestSupport.incident;
import static dev.runbook.slack.SlackTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.testkit.TestClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JDK server around the handler: real HTTP on loopback, headers in whatever case the server gives them. */
@Timeout(20)
class SlackCallbackServerTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private final TestClock clock = new TestClock();
    private FakeSlack slack;
    private SlackApprovalGateway gateway;
    private SlackCallbackServer server;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        gateway = gateway(slack, clock, new SlackTestSupport.RecordingSleeper(clock)).build();
        server = SlackCallbackServer.builder(gateway.interactionHandler()).port(0).start();
    }

    @AfterEach
    void stop() {
        server.close();
        gateway.close();
        slack.close();
    }

    private HttpResponse<String> post(URI uri, SignedClicks.Request r) throws Exception {
        var b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach((k, v) -> b.header(k, v.get(0)));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSignedClickOverHttpDecides() throws Exception {
        var decision = gateway.requestApproval(request("exec-1", incident("evt-1"), clock)).toCompletableFuture();
        slack.next("chat.postMessage");

        assertThat(server.port()).isPositive();
        assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/slack/interactions");
        var response = post(server.uri(), signed(body("U123", "alice", "runbook_approve", "exec-1"), clock.instant(),
                SECRET));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains(SlackResponse.CONTENT_TYPE);
        assertThat(response.body()).contains("Approved by <@U123>");
        assertThat(decision.get(5, TimeUnit.SECONDS).approver()).isEqualTo("slack:U123 (alice)");
    }

    @Test
    void forgedClicksOtherMethodsAndOtherPathsAreRefused() throws Exception {
        var forged = post(server.uri(), signed(body("U123", "alice", "runbook_approve", "exec-1"), clock.instant(),
                "wrong"));
        assertThat(forged.statusCode()).isEqualTo(401);
        var get = CLIENT.send(HttpRequest.newBuilder(server.uri()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        var elsewhere = post(server.uri().resolve("/slack/interactionsX"), signed(body("U1", "a", "runbook_approve",
                "e"), clock.instant(), SECRET));
        assertThat(elsewhere.statusCode()).isEqualTo(404);
    }

    @Test
    void theBuilderChecksPortAndPath() {
        var b = SlackCallbackServer.builder(gateway.interactionHandler());
        assertThatThrownBy(() -> b.port(70000)).hasMessage("port must be 0..65535 (0 for an ephemeral port), got 70000");
        assertThatThrownBy(() -> b.path("slack")).hasMessageContaining("path must start with '/'");
        assertThatThrownBy(() -> b.bindAddress(InetAddress.getLoopbackAddress()).port(server.port()).start())
                .hasMessageContaining("cannot serve Slack callbacks on 127.0.0.1:" + server.port());
    }
}
