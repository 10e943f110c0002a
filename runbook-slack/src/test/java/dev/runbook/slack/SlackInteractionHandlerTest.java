package dev.runbook.slack;

import static dev.runbook.slack.SignedClicks.SECRET;
import static dev.runbook.slack.SignedClicks.body;
import static dev.runbook.slack.SignedClicks.signed;
import static dev.runbook.slack.SlackTestSupport.gateway;
import static dev.runbook.slack.SlackTestSupport.incident;
import static dev.runbook.slack.SlackTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.internal.Json;
import dev.runbook.core.model.Incident;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Interaction callbacks: Slack's signature, the timestamp window, replays, malformed bodies and who may decide. */
@Timeout(20)
class SlackInteractionHandlerTest {
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

    private CompletableFuture<ApprovalDecision> ask(SlackApprovalGateway g, String executionId, Incident incident)
            throws InterruptedException {
        var f = g.requestApproval(request(executionId, incident, clock)).toCompletableFuture();
        slack.next("chat.postMessage");
        return f;
    }

    private SlackResponse click(SlackApprovalGateway g, String user, String actionId, String executionId) {
        var r = signed(body(user, user.toLowerCase(), actionId, executionId), clock.instant(), SECRET);
        return g.interactionHandler().handle(r.headers(), r.body());
    }

    private static String text(SlackResponse r) {
        return (String) ((Map<?, ?>) Json.parse(r.body())).get("text");
    }

    @Test
    void aSignedApproveClickDecidesAndTheMessageShowsWho() throws Exception {
        var decision = ask(gateway, "exec-1", incident("evt-1"));
        var r = signed(body("U123", "alice", "runbook_approve", "exec-1"), clock.instant(), SECRET);

        SlackResponse response = gateway.interactionHandler().handle(r.headers(), r.body());

        assertThat(response.status()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("Approved by <@U123>: execution exec-1 of runbook "
                + "oomkilled-increase-memory-v1 proceeds.");
        assertThat(Json.parse(response.body())).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("response_type", "ephemeral").containsEntry("replace_original", false);
        assertThat(decision.get(5, TimeUnit.SECONDS))
                .isEqualTo(ApprovalDecision.approve("slack:U123 (alice)", "approved in Slack", clock.instant()));
        var update = slack.next("chat.update").json();
        assertThat(update).containsEntry("ts", FakeSlack.TS).containsEntry("channel", "C1");
        assertThat(Json.write(update.get("blocks"))).contains("Approved by <@U123>").doesNotContain("runbook_deny");
    }

    @Test
    void aDenyClickDenies() throws Exception {
        var decision = ask(gateway, "exec-2", incident("evt-2"));
        assertThat(text(click(gateway, "U123", "runbook_deny", "exec-2"))).startsWith("Denied by <@U123>");
        assertThat(decision.get(5, TimeUnit.SECONDS))
                .isEqualTo(ApprovalDecision.deny("slack:U123 (u123)", "denied in Slack", clock.instant()));
        assertThat(Json.write(slack.next("chat.update").json().get("blocks"))).contains("Denied by <@U123>");
    }

    private void assertRefused(SlackResponse response, CompletableFuture<ApprovalDecision> decision) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(decision).isNotDone();
        assertThat(gateway.waiting()).hasSize(1);
        assertThat(slack.count("chat.update")).isZero();
    }

    @Test
    void forgedStaleFutureAndUnsignedClicksAreRefusedWith401() throws Exception {
        var decision = ask(gateway, "exec-3", incident("evt-3"));
        byte[] approve = body("U123", "alice", "runbook_approve", "exec-3");

        var forged = signed(approve, clock.instant(), "not-the-signing-secret");
        assertRefused(gateway.interactionHandler().handle(forged.headers(), forged.body()), decision);

        var stale = signed(approve, clock.instant().minus(Duration.ofMinutes(6)), SECRET);
        assertRefused(gateway.interactionHandler().handle(stale.headers(), stale.body()), decision);

        var future = signed(approve, clock.instant().plus(Duration.ofMinutes(6)), SECRET);
        assertRefused(gateway.interactionHandler().handle(future.headers(), future.body()), decision);

        var good = signed(approve, clock.instant(), SECRET);
        var noSignature = new HashMap<>(good.headers());
        noSignature.remove("X-Slack-Signature");
        assertRefused(gateway.interactionHandler().handle(noSignature, approve), decision);
        var noTimestamp = new HashMap<>(good.headers());
        noTimestamp.remove("X-Slack-Request-Timestamp");
        assertRefused(gateway.interactionHandler().handle(noTimestamp, approve), decision);

        byte[] tampered = body("U123", "alice", "runbook_approve", "exec-3x");
        assertRefused(gateway.interactionHandler().handle(good.headers(), tampered), decision);
        var badTs = new HashMap<>(good.headers());
        badTs.put("X-Slack-Request-Timestamp", List.of("1e9"));
        assertRefused(gateway.interactionHandler().handle(badTs, approve), decision);
    }

    @Test
    void withinTheWindowEitherWayIsAccepted() throws Exception {
        var decision = ask(gateway, "exec-4", incident("evt-4"));
        var r = signed(body("U123", "alice", "runbook_approve", "exec-4"),
                clock.instant().minus(Duration.ofMinutes(4)).minusSeconds(59), SECRET);
        assertThat(gateway.interactionHandler().handle(r.headers(), r.body()).status()).isEqualTo(200);
        assertThat(decision.get(5, TimeUnit.SECONDS).approved()).isTrue();
    }

    @Test
    void aReplayedClickIsRefusedBeforeAnythingElse() throws Exception {
        var first = ask(gateway, "exec-5", incident("evt-5"));
        var r = signed(body("U123", "alice", "runbook_deny", "exec-5"), clock.instant(), SECRET);
        assertThat(gateway.interactionHandler().handle(r.headers(), r.body()).status()).isEqualTo(200);
        assertThat(first.get(5, TimeUnit.SECONDS).approved()).isFalse();

        // The same signed request again, a minute later: a replay, answered 401 before anything else.
        clock.advance(Duration.ofMinutes(1));
        var replay = gateway.interactionHandler().handle(r.headers(), r.body());
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.body()).doesNotContain("already decided");
    }

    @Test
    void aSignedButMalformedBodyIs400AndDecidesNothing() throws Exception {
        var decision = ask(gateway, "exec-6", incident("evt-6"));
        for (String bad : List.of("payload=%7Bnot-json", "token=x", "payload=" + java.net.URLEncoder.encode(
                "{\"type\":\"view_submission\",\"user\":{\"id\":\"U1\"}}", StandardCharsets.UTF_8),
                "payload=" + java.net.URLEncoder.encode("{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},"
                        + "\"actions\":[]}", StandardCharsets.UTF_8))) {
            var r = signed(bad.getBytes(StandardCharsets.UTF_8), clock.instant(), SECRET);
            var response = gateway.interactionHandler().handle(r.headers(), r.body());
            assertThat(response.status()).as(bad).isEqualTo(400);
        }
        var r = signed("token=x".getBytes(StandardCharsets.UTF_8), clock.instant().plusSeconds(1), SECRET);
        assertThat(gateway.interactionHandler().handle(r.headers(), r.body()).body())
                .contains("the body has no form field 'payload'");
        assertThat(decision).isNotDone();
    }

    @Test
    void unknownOrDecidedExecutionsAnswer200AndChangeNothing() throws Exception {
        var unknown = click(gateway, "U123", "runbook_approve", "exec-nope");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(text(unknown)).isEqualTo("No approval is waiting for execution exec-nope (unknown, or already decided).");

        var decision = ask(gateway, "exec-7", incident("evt-7"));
        click(gateway, "U123", "runbook_approve", "exec-7");
        assertThat(decision.get(5, TimeUnit.SECONDS).approved()).isTrue();
        clock.advance(Duration.ofSeconds(1)); // a second, different click
        var again = click(gateway, "U456", "runbook_deny", "exec-7");
        assertThat(again.status()).isEqualTo(200);
        assertThat(text(again)).isEqualTo("This request was already decided: Approved by <@U123>.");
        assertThat(decision.get().approver()).isEqualTo("slack:U123 (u123)");
    }

    @Test
    void onlyAllowListedUsersOrGroupMembersDecide() throws Exception {
        slack.groupMembers = List.of("U777");
        try (var g = gateway(slack, clock, sleeper).approvers(List.of("U100")).approverGroup("S1").build()) {
            var decision = ask(g, "exec-8", incident("evt-8"));

            var stranger = click(g, "U999", "runbook_approve", "exec-8");
            assertThat(stranger.status()).isEqualTo(200);
            assertThat(text(stranger)).isEqualTo("<@U999> is not allowed to approve or deny runbook executions "
                    + "(not an allow-listed user nor a member of <!subteam^S1>).");
            assertThat(decision).isNotDone();
            var lookup = slack.next("usergroups.users.list");
            assertThat(lookup.body()).isEqualTo("usergroup=S1");
            assertThat(lookup.header("authorization")).isEqualTo("Bearer " + SlackTestSupport.TOKEN);

            clock.advance(Duration.ofSeconds(1));
            assertThat(text(click(g, "U777", "runbook_approve", "exec-8"))).startsWith("Approved by <@U777>");
            assertThat(decision.get(5, TimeUnit.SECONDS).approver()).isEqualTo("slack:U777 (u777)");
        }
    }

    @Test
    void anAllowListedUserNeedsNoGroupLookup() throws Exception {
        try (var g = gateway(slack, clock, sleeper).approvers(List.of("U100")).build()) {
            var decision = ask(g, "exec-9", incident("evt-9"));
            assertThat(text(click(g, "U200", "runbook_approve", "exec-9")))
                    .isEqualTo("<@U200> is not allowed to approve or deny runbook executions (not an allow-listed user).");
            clock.advance(Duration.ofSeconds(1));
            click(g, "U100", "runbook_approve", "exec-9");
            assertThat(decision.get(5, TimeUnit.SECONDS).approved()).isTrue();
            assertThat(slack.count("usergroups.users.list")).isZero();
        }
    }

    @Test
    void theRequesterMayDenyButNotApprove() throws Exception {
        var incident = Incident.builder("evt-10").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(incident("x").resource()).attribute(SlackApprovalGateway.REQUESTER_ATTRIBUTE, "U555").build();
        var decision = ask(gateway, "exec-10", incident);

        assertThat(text(click(gateway, "U555", "runbook_approve", "exec-10")))
                .isEqualTo("<@U555> requested this execution and may not approve it: someone else must approve.");
        assertThat(decision).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(text(click(gateway, "U555", "runbook_deny", "exec-10"))).startsWith("Denied by <@U555>");
        assertThat(decision.get(5, TimeUnit.SECONDS).approved()).isFalse();
    }

    @Test
    void theRequesterMayApproveWhenAllowed() throws Exception {
        try (var g = gateway(slack, clock, sleeper).forbidRequesterApproval(false)
                .requester(r -> java.util.Optional.of("U555")).build()) {
            var decision = ask(g, "exec-11", incident("evt-11"));
            click(g, "U555", "runbook_approve", "exec-11");
            assertThat(decision.get(5, TimeUnit.SECONDS).approved()).isTrue();
        }
    }

    @Test
    void anOversizedBodyIsRefusedBeforeAnyWork() {
        byte[] huge = new byte[SlackInteractionHandler.MAX_BODY_BYTES + 1];
        var r = signed(huge, clock.instant(), SECRET);
        assertThat(gateway.interactionHandler().handle(r.headers(), r.body()).status()).isEqualTo(413);
    }
}
