package dev.runbook.core.action.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.builtin.LoopbackHttpServer.Reply;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import dev.runbook.core.notify.NotificationMessage;
import dev.runbook.core.notify.SlackNotifier;
import dev.runbook.core.retry.Backoff;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook and Slack retry loop (the engine's step retries) against a real loopback server answering 429 and
 * 503 with {@code Retry-After}: the recorded waits honour a sane header, with jitter, and bound or ignore hostile
 * ones.
 */
class HttpRetryAfterTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private LoopbackHttpServer server;
    private final TestClock clock = new TestClock();
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final Sleeper sleeper = d -> {
        sleeps.add(d);
        clock.advance(d);
    };

    @BeforeEach
    void start() throws IOException {
        server = LoopbackHttpServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Action builtin(String name) {
        var config = BuiltinActionsConfig.custom().allowWebhookHost("127.0.0.1").httpClient(CLIENT).build();
        return new BuiltinActions(config).actions().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private Execution run(ActionStep step, Action action) {
        Runbook rb = Runbook.builder("throttled").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(step).build();
        Incident incident = Incident.builder("i1").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(new ResourceRef("Pod", "web-1", "default", Optional.empty(), Optional.empty(), Optional.empty()))
                .cluster("prod").build();
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(sleeper)
                .executionIds(() -> "exec-1").runbook(rb).actions(action).build()) {
            return engine.handle(incident);
        }
    }

    /** Answers the replies in turn, then 200. */
    private void answer(Reply... replies) {
        AtomicInteger n = new AtomicInteger();
        server.respond(r -> {
            int i = n.getAndIncrement();
            return i < replies.length ? replies[i] : Reply.of(200, "text/plain", "ok");
        });
    }

    private static Reply throttled(int status, String retryAfter) {
        return new Reply(status, Map.of("Content-Type", "text/plain", "Retry-After", retryAfter), "slow down");
    }

    @Test
    void theWebhookStepHonoursRetryAfterWithJitterAndBoundsOrIgnoresHostileValues() {
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                clock.instant().minusSeconds(3600).atOffset(ZoneOffset.UTC));
        answer(throttled(429, "5"), throttled(429, "1000000000"), throttled(503, past), throttled(429, "soon-ish"));
        RetryPolicy policy = RetryPolicy.exponential(5, Duration.ofSeconds(1), Duration.ofSeconds(60));
        Execution e = run(ActionStep.builder("hook", "webhook").param("url", server.url("/hook").toString())
                .retry(policy).build(), builtin("webhook"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(server.count()).isEqualTo(5);
        assertThat(sleeps).hasSize(4);
        // 5 s asked: at least 5 s, plus up to half the 1 s step of jitter (and not exactly 5 s: jitter applied).
        assertThat(sleeps.get(0)).isGreaterThan(Duration.ofSeconds(5)).isLessThanOrEqualTo(Duration.ofMillis(5500));
        // 10^9 s asked: cut to the step's 60 s cap.
        assertThat(sleeps.get(1)).isEqualTo(Duration.ofSeconds(60));
        // A date in the past and garbage are ignored: the jittered schedule (4 s, 8 s ceilings) applies.
        assertThat(sleeps.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(sleeps.get(3)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
        // Exactly the waits the one backoff policy draws for this execution and step.
        var jitter = Backoff.seeded("exec-1/hook");
        Backoff b = policy.backoff();
        assertThat(sleeps).containsExactly(b.delayBefore(2, Optional.of(Duration.ofSeconds(5)), jitter),
                b.delayBefore(3, Optional.of(Duration.ofSeconds(1_000_000_000L)), jitter),
                b.delayBefore(4, Optional.empty(), jitter), b.delayBefore(5, Optional.empty(), jitter));
    }

    @Test
    void theSlackStepHonoursAnHttpDateRetryAfterOnTheEnginesClock() {
        Instant at = clock.instant().plusSeconds(20);
        answer(throttled(429, DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC))));
        Execution e = run(ActionStep.builder("tell", "slack_notify").param("webhook_url", server.url("/slack").toString())
                .param("message", "hi").retry(RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .build(), builtin("slack_notify"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(sleeps).hasSize(1);
        assertThat(sleeps.get(0)).isBetween(Duration.ofSeconds(20), Duration.ofMillis(20_500));
    }

    @Test
    void aNotifierFailureCarriesTheRetryAfterItWasGiven() throws Exception {
        answer(throttled(429, "30"));
        var slack = new SlackNotifier(server.url("/slack"), CLIENT);
        var msg = new NotificationMessage("slack", Map.of("message", "failed"), false, "exec-1", "rb", "i1");
        ActionException e = org.junit.jupiter.api.Assertions.assertThrows(ActionException.class, () -> slack.send(msg));
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(e.getMessage()).contains("HTTP 429", "Retry-After 30s");
    }
}
