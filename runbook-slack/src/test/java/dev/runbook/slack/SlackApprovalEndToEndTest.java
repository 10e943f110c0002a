package dev.runbook.slack;

import static dev.runbook.slack.SignedClicks.SECRET;
import static dev.runbook.slack.SignedClicks.signed;
import static dev.runbook.slack.SlackTestSupport.gateway;
import static dev.runbook.slack.SlackTestSupport.incident;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.AbstractAction;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine with {@code require_approval: true} and the Slack gateway on a loopback Web API: the test reads the
 * posted message, clicks a button by sending a signed callback to {@link SlackCallbackServer}, and the execution
 * goes on or is denied.
 */
@Timeout(30)
class SlackApprovalEndToEndTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private final TestClock clock = new TestClock();
    private final List<String> changed = Collections.synchronizedList(new ArrayList<>());
    private FakeSlack slack;
    private SlackApprovalGateway gateway;
    private SlackCallbackServer callbacks;
    private RunbookEngine engine;

    /** Raises the memory of the incident's pod: mutating, reports what it touches, changes nothing in a dry run. */
    private final class RaiseMemory extends AbstractAction {
        RaiseMemory() {
            super("raise_memory", Set.of(), "test action", ParamSchema.open(), true);
        }

        @Override
        public ActionResult execute(ActionContext ctx) {
            var r = ctx.incident().resource();
            if (!ctx.dryRun()) {
                changed.add(r.name());
            }
            return ActionResult.of("512Mi").touching(new TouchedResource(r.kind(), r.namespace(), r.name(),
                    "memory limit 256Mi -> 512Mi"));
        }
    }

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        gateway = gateway(slack, clock, new SlackTestSupport.RecordingSleeper(clock)).build();
        callbacks = SlackCallbackServer.builder(gateway.interactionHandler()).start();
        Runbook rb = Runbook.builder("oomkilled-increase-memory-v1")
                .trigger(Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.8).build())
                .safety(Safety.builder().requireApproval(true).build())
                .step(ActionStep.builder("Raise memory", "raise_memory").build())
                .build();
        engine = RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb).actions(new RaiseMemory())
                .approvalGateway(gateway).approvalTimeout(Duration.ofMinutes(10)).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        callbacks.close();
        gateway.close();
        slack.close();
    }

    /** The execution id the posted message's Approve button carries. */
    @SuppressWarnings("unchecked")
    private String postedExecutionId() throws InterruptedException {
        var blocks = (List<Map<String, Object>>) slack.next("chat.postMessage").json().get("blocks");
        var actions = blocks.stream().filter(b -> "actions".equals(b.get("type"))).findFirst().orElseThrow();
        var approve = ((List<Map<String, Object>>) actions.get("elements")).get(0);
        assertThat(approve).containsEntry("action_id", "runbook_approve");
        return (String) approve.get("value");
    }

    private int click(String user, String action, String executionId, String secret) throws Exception {
        var r = signed(SignedClicks.body(user, "alice", action, executionId), clock.instant(), secret);
        var b = HttpRequest.newBuilder(URI.create(callbacks.uri().toString()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach((k, v) -> b.header(k, v.get(0)));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void approvedInSlackTheExecutionRunsAndRecordsTheApprover() throws Exception {
        var running = engine.handleAsync(incident("evt-1"));
        String executionId = postedExecutionId();

        assertThat(click("U123", "runbook_approve", executionId, "forged-secret")).isEqualTo(401);
        assertThat(running).isNotDone();
        assertThat(changed).isEmpty();
        assertThat(gateway.waiting()).extracting(r -> r.executionId()).containsExactly(executionId);

        assertThat(click("U123", "runbook_approve", executionId, SECRET)).isEqualTo(200);
        Execution e = running.get(10, TimeUnit.SECONDS);

        assertThat(e.id()).isEqualTo(executionId);
        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.approval().orElseThrow().approver()).isEqualTo("slack:U123 (alice)");
        assertThat(changed).containsExactly("web-1");
        var update = slack.next("chat.update").json();
        assertThat(update).containsEntry("ts", FakeSlack.TS);
        assertThat(dev.runbook.core.internal.Json.write(update.get("blocks"))).contains("Approved by <@U123>");
    }

    @Test
    void leftUnansweredTheExecutionIsDeniedAtTheGatewaysTimeout() throws Exception {
        var running = engine.handleAsync(incident("evt-2"));
        String executionId = postedExecutionId();
        clock.advance(Duration.ofMinutes(5));
        assertThat(gateway.expireOverdue()).isEqualTo(1);

        Execution e = running.get(10, TimeUnit.SECONDS);
        assertThat(e.id()).isEqualTo(executionId);
        assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(e.denial().orElseThrow().reason()).isEqualTo("denied by slack: no answer within 5m");
        assertThat(changed).isEmpty();
        assertThat(dev.runbook.core.internal.Json.write(slack.next("chat.update").json().get("blocks")))
                .contains("Timed out: no answer within 5m");
        // A click after the timeout changes nothing.
        assertThat(click("U123", "runbook_approve", executionId, SECRET)).isEqualTo(200);
        assertThat(changed).isEmpty();
    }
}
