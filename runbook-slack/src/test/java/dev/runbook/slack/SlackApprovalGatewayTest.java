package dev.runbook.slack;

import static dev.runbook.slack.SlackTestSupport.gateway;
import static dev.runbook.slack.SlackTestSupport.incident;
import static dev.runbook.slack.SlackTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.internal.Json;
import dev.runbook.core.model.Incident;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Web API side of the gateway against a loopback server that answers as Slack documents. */
@Timeout(20)
class SlackApprovalGatewayTest {
    private final TestClock clock = new TestClock();
    private final SlackTestSupport.RecordingSleeper sleeper = new SlackTestSupport.RecordingSleeper(clock);
    private FakeSlack slack;
    private SlackApprovalGateway gateway;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        gateway = gateway(slack, clock, sleeper).build();
    }

    @AfterEach
    void stop() {
        gateway.close();
        slack.close();
    }

    private CompletableFuture<ApprovalDecision> ask(String executionId) {
        return gateway.requestApproval(request(executionId, incident("evt-7"), clock)).toCompletableFuture();
    }

    @Test
    @SuppressWarnings("unchecked")
    void postsABlockKitMessageWhoseButtonsCarryTheExecutionId() throws Exception {
        ask("exec-1");
        var call = slack.next("chat.postMessage");

        assertThat(call.header("authorization")).isEqualTo("Bearer " + SlackTestSupport.TOKEN);
        assertThat(call.header("content-type")).startsWith("application/json");
        var body = call.json();
        assertThat(body).containsEntry("channel", "C1");
        assertThat((String) body.get("text")).contains("oomkilled-increase-memory-v1").contains("evt-7");
        String blocks = Json.write(body.get("blocks"));
        assertThat(blocks).contains("*Runbook*\\noomkilled-increase-memory-v1 v1.0", "*Incident*\\nevt-7",
                "*Symptom*\\nCrashLoopBackOff", "*Root cause*\\nOOMKilled", "*Confidence*\\n0.92",
                "Set the new limit: k8s_set_resources {limits={memory=512Mi}}",
                "Deployment/default/web: memory limit 256Mi -&gt; 512Mi");
        var actions = ((List<Map<String, Object>>) body.get("blocks")).stream()
                .filter(b -> b.get("type").equals("actions")).findFirst().orElseThrow();
        var buttons = (List<Map<String, Object>>) actions.get("elements");
        assertThat(buttons).extracting(b -> b.get("action_id"), b -> b.get("style"), b -> b.get("value"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("runbook_approve", "primary", "exec-1"),
                        org.assertj.core.groups.Tuple.tuple("runbook_deny", "danger", "exec-1"));
        assertThat(gateway.waiting()).extracting(r -> r.executionId()).containsExactly("exec-1");
    }

    @Test
    void untrustedIncidentTextCannotMentionLinkOrBreakTheJson() throws Exception {
        Incident hostile = Incident.builder("evt-<!channel>").symptomReason("\"}]} <https://evil.example|click> &")
                .rootCause("OOMKilled", 0.9).resource(incident("x").resource()).build();
        gateway.requestApproval(request("exec-2", hostile, clock));
        var body = slack.next("chat.postMessage").json(); // parses: the JSON was not broken

        String blocks = Json.write(body.get("blocks"));
        assertThat(blocks).contains("evt-&lt;!channel&gt;", "\\\"}]} &lt;https://evil.example|click&gt; &amp;")
                .doesNotContain("<!channel>", "<https://evil");
    }

    @Test
    void a429IsRetriedAfterItsRetryAfterThenTheMessageIsPosted() throws Exception {
        var answers = new java.util.concurrent.atomic.AtomicInteger();
        slack.reply("chat.postMessage", c -> answers.getAndIncrement() == 0
                ? new FakeSlack.Reply(429, Map.of("Retry-After", "7"), "")
                : FakeSlack.Reply.ok("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"" + FakeSlack.TS + "\"}"));
        var decision = ask("exec-3");
        slack.next("chat.postMessage");
        slack.next("chat.postMessage");

        assertThat(sleeper.sleeps).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(7),
                Duration.ofSeconds(30)));
        assertThat(decision).isNotDone();
        assertThat(gateway.waiting()).hasSize(1);
    }

    @Test
    void okFalseFailsTheRequestSoTheEngineDenies() {
        slack.reply("chat.postMessage", c -> FakeSlack.Reply.ok("{\"ok\":false,\"error\":\"channel_not_found\"}"));
        var decision = ask("exec-4");

        assertThatThrownBy(() -> decision.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SlackApiException.class)
                .hasMessage("Slack chat.postMessage failed: channel_not_found")
                .satisfies(e -> assertThat(((SlackApiException) e).error()).contains("channel_not_found"));
        assertThat(slack.count("chat.postMessage")).isEqualTo(1);
        assertThat(gateway.waiting()).isEmpty();
        assertThat(slack.count("chat.update")).isZero();
    }

    @Test
    void serverErrorsAreRetriedABoundedNumberOfTimes() {
        slack.reply("chat.postMessage", c -> new FakeSlack.Reply(503, Map.of(), "upstream down"));
        var decision = ask("exec-5");

        assertThatThrownBy(() -> decision.get(5, TimeUnit.SECONDS)).cause()
                .hasMessageContaining("HTTP 503 3 time(s)").hasMessageNotContaining(SlackTestSupport.TOKEN);
        assertThat(slack.count("chat.postMessage")).isEqualTo(3);
        assertThat(sleeper.sleeps).hasSize(2);
    }

    @Test
    void aServerThatHangsTimesOutAndIsNotAskedAgain() throws Exception {
        slack.reply("chat.postMessage", c -> {
            try {
                slack.released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeSlack.Reply.ok("{\"ok\":true}");
        });
        try (var g = gateway(slack, clock, sleeper).requestTimeout(Duration.ofMillis(300)).build()) {
            var decision = g.requestApproval(request("exec-6", incident("evt-7"), clock)).toCompletableFuture();

            assertThatThrownBy(() -> decision.get(5, TimeUnit.SECONDS)).cause()
                    .hasMessage("Slack chat.postMessage did not answer within 300ms");
            assertThat(slack.count("chat.postMessage")).isEqualTo(1);
            assertThat(g.waiting()).isEmpty();
        }
    }

    @Test
    void noAnswerWithinTheTimeoutIsADenialAndTheMessageSaysSo() throws Exception {
        var decision = ask("exec-7");
        slack.next("chat.postMessage");
        clock.advance(Duration.ofMinutes(4));
        assertThat(gateway.expireOverdue()).isZero();
        assertThat(decision).isNotDone();

        clock.advance(Duration.ofMinutes(1));
        assertThat(gateway.expireOverdue()).isEqualTo(1);

        ApprovalDecision d = decision.get(5, TimeUnit.SECONDS);
        assertThat(d).isEqualTo(ApprovalDecision.deny("slack", "no answer within 5m", clock.instant()));
        var update = slack.next("chat.update").json();
        assertThat(update).containsEntry("channel", "C1").containsEntry("ts", FakeSlack.TS);
        String blocks = Json.write(update.get("blocks"));
        assertThat(blocks).contains("Timed out: no answer within 5m").doesNotContain("runbook_approve");
        assertThat(gateway.waiting()).isEmpty();
    }

    @Test
    void theGatewaysOwnTimerDeniesWithoutAnyoneCallingIt() throws Exception {
        try (var g = gateway(slack, clock, sleeper).clock(java.time.Clock.systemUTC())
                .approvalTimeout(Duration.ofMillis(200)).build()) {
            var d = g.requestApproval(request("exec-8", incident("evt-7"), clock)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertThat(d.approved()).isFalse();
            assertThat(d.reason()).isEqualTo("no answer within 200ms");
        }
    }

    @Test
    void whenTheEngineStopsWaitingTheMessageIsUpdated() throws Exception {
        var decision = ask("exec-9");
        slack.next("chat.postMessage");
        decision.cancel(true); // what the engine does at its own approval timeout

        assertThat(Json.write(slack.next("chat.update").json().get("blocks"))).contains("No longer waiting");
        assertThat(gateway.waiting()).isEmpty();
    }

    @Test
    void closingDeniesWhatStillWaits() throws Exception {
        var decision = ask("exec-10");
        slack.next("chat.postMessage");
        gateway.close();

        assertThat(decision.get(5, TimeUnit.SECONDS).reason()).isEqualTo("the Slack approval gateway was closed");
    }

    @Test
    void theBuilderChecksEachValueAndNeverEchoesSecrets() {
        var b = SlackApprovalGateway.builder();
        assertThatThrownBy(() -> b.botToken("secret value")).hasMessageContaining("botToken")
                .hasMessageNotContaining("secret value");
        assertThatThrownBy(() -> b.channel("#inc idents")).hasMessageContaining("channel").hasMessageContaining("'#inc idents'");
        assertThatThrownBy(() -> b.signingSecret(" ")).hasMessageContaining("signingSecret");
        assertThatThrownBy(() -> b.apiBase(URI.create("file:///x"))).hasMessageContaining("apiBase");
        assertThatThrownBy(() -> b.approvers(List.of("U1", "alice"))).hasMessage(
                "approvers[1] must be a Slack id of capital letters and digits such as U0123ABC, got 'alice'");
        assertThatThrownBy(() -> b.approverGroup("ops team")).hasMessageContaining("approverGroup");
        assertThatThrownBy(() -> b.approvalTimeout(Duration.ZERO)).hasMessage("approvalTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> b.requestTimeout(Duration.ofSeconds(-1))).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> SlackApprovalGateway.builder().channel("C1").build())
                .hasMessage("SlackApprovalGateway needs botToken, signingSecret; set them on the builder");
    }
}
