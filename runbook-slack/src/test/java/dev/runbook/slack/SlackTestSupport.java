package dev.runbook.slack;

import dev.runbook.core.action.TouchedResource;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Fixtures shared by the Slack tests. */
final class SlackTestSupport {
    static final String TOKEN = "xoxb-test-token-not-real";

    private SlackTestSupport() {
    }

    static Incident incident(String id) {
        return Incident.builder(id).symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.92)
                .resource(new ResourceRef("Pod", "web-1", "default", Optional.of("uid-1"), Optional.of("web"),
                        Optional.of("app")))
                .cluster("prod").build();
    }

    static ApprovalRequest request(String executionId, Incident incident, TestClock clock) {
        return new ApprovalRequest(executionId, "oomkilled-increase-memory-v1", "1.0", incident,
                List.of("Set the new limit: k8s_set_resources {limits={memory=512Mi}}"),
                List.of(new TouchedResource("Deployment", "default", "web", "memory limit 256Mi -> 512Mi")),
                clock.instant());
    }

    /** A sleeper that advances the test clock and records each wait. */
    static final class RecordingSleeper implements Sleeper {
        final TestClock clock;
        final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

        RecordingSleeper(TestClock clock) {
            this.clock = clock;
        }

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
            clock.advance(d);
        }
    }

    /** A gateway on the fake Web API, the test clock and the recording sleeper. */
    static SlackApprovalGateway.Builder gateway(FakeSlack slack, TestClock clock, Sleeper sleeper) {
        return SlackApprovalGateway.builder().botToken(TOKEN).channel("C1").signingSecret(SignedClicks.SECRET)
                .apiBase(slack.base()).clock(clock).sleeper(sleeper).requestTimeout(Duration.ofSeconds(5))
                .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), 3));
    }
}
