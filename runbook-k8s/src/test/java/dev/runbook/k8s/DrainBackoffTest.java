package dev.runbook.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.retry.Backoff;
import dev.runbook.k8s.testing.Fixtures;
import dev.runbook.k8s.testing.StandInDispatcher.Recorded;
import dev.runbook.k8s.testing.TestCluster;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drain's eviction loop on the project's backoff: the API server's Retry-After (header or
 * {@code retryAfterSeconds}) honoured with jitter, hostile values bounded or ignored, and a pod several
 * PodDisruptionBudgets cover reported as kubectl does while the others are still evicted.
 */
class DrainBackoffTest {
    private static final String P1 = "/api/v1/namespaces/default/pods/p1/eviction";
    private TestCluster cluster;
    private KubernetesActions actions;
    private final TestClock clock = new TestClock();

    @BeforeEach
    void start() {
        cluster = TestCluster.mock();
        actions = new KubernetesActions(KubernetesClients.of(cluster.client()));
        Fixtures.node(cluster.client(), "node-1", true);
        Fixtures.podOnNode(cluster.client(), "default", "p1", "node-1", "ReplicaSet", false);
        cluster.dispatcher().orElseThrow().requests.clear();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Action drain() {
        return actions.actions().stream().filter(a -> a.name().equals("kubectl_drain")).findFirst().orElseThrow();
    }

    private TestActionContext ctx(Action a, Map<String, Object> params) {
        return TestActionContext.builder(a).clock(clock).executionId("exec-1").stepName("drain")
                .incident(Incident.builder("i-1").symptomReason("NodeNotReady").rootCause("DiskPressure", 0.9)
                        .resource(ResourceRef.of("Pod", "default", "p1")).build())
                .params(params).dryRun(true).build();
    }

    private static Map<String, Object> tooMany(Map<String, Object> details) {
        return Map.of("kind", "Status", "apiVersion", "v1", "code", 429, "reason", "TooManyRequests",
                "message", "Cannot evict pod as it would violate the pod's disruption budget.", "details", details);
    }

    private long evictions(String pod) {
        return cluster.dispatcher().orElseThrow().requests.stream().filter(Recorded::mutating)
                .filter(r -> r.path().endsWith("/" + pod + "/eviction")).count();
    }

    @Test
    void aRetryAfterIsHonouredWithJitterAndHostileOnesAreBoundedOrIgnored() throws Exception {
        var server = cluster.server().orElseThrow();
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().minusSeconds(60).atOffset(ZoneOffset.UTC));
        // 12 s asked in the Status; then 10^9 s in the header; then a past date; then garbage; then accepted.
        server.expect().post().withPath(P1).andReturn(429, tooMany(Map.of("retryAfterSeconds", 12))).once();
        server.expect().post().withPath(P1).andReturn(429, tooMany(Map.of())).withHeader("Retry-After", "1000000000").once();
        server.expect().post().withPath(P1).andReturn(429, tooMany(Map.of())).withHeader("Retry-After", past).once();
        server.expect().post().withPath(P1).andReturn(429, tooMany(Map.of())).withHeader("Retry-After", "later").once();
        server.expect().post().withPath(P1).andReturn(201, Map.of("kind", "Status", "apiVersion", "v1", "code", 201,
                "status", "Success")).once();
        var a = drain();
        var ctx = ctx(a, Map.of("node", "node-1", "timeout", 600, "retry_interval", 5));

        var result = a.execute(ctx);

        assertThat(result.summary()).isEqualTo("dry run: would have drained Node node-1: evicted 1 pod(s)");
        assertThat(evictions("p1")).isEqualTo(5);
        List<Duration> sleeps = ctx.sleeps();
        assertThat(sleeps).hasSize(4);
        // 12 s asked: at least 12 s, plus jitter of at most half the 5 s step.
        assertThat(sleeps.get(0)).isGreaterThan(Duration.ofSeconds(12)).isLessThanOrEqualTo(Duration.ofMillis(14_500));
        // 10^9 s asked: cut to the cap, 6 retry_intervals.
        assertThat(sleeps.get(1)).isEqualTo(Duration.ofSeconds(30));
        // A past date and garbage: ignored, the jittered schedule (20 s, then the 30 s cap) applies.
        assertThat(sleeps.get(2)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertThat(sleeps.get(3)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        var b = new Backoff(Duration.ofSeconds(5), 2.0, Duration.ofSeconds(30), Backoff.Jitter.EQUAL, Integer.MAX_VALUE);
        var jitter = Backoff.seeded("exec-1/drain/1/drain");
        assertThat(sleeps).containsExactly(b.delayBefore(2, Optional.of(Duration.ofSeconds(12)), jitter),
                b.delayBefore(3, Optional.of(Duration.ofSeconds(1_000_000_000L)), jitter),
                b.delayBefore(4, Optional.empty(), jitter), b.delayBefore(5, Optional.empty(), jitter));
    }

    @Test
    void aRetryAfterPastTheTimeoutIsCutToTheDeadline() {
        cluster.server().orElseThrow().expect().post().withPath(P1).andReturn(429, tooMany(Map.of()))
                .withHeader("Retry-After", "3600").always();
        var a = drain();
        var ctx = ctx(a, Map.of("node", "node-1", "timeout", 20, "retry_interval", 5));

        assertThatThrownBy(() -> a.execute(ctx)).isInstanceOf(ActionException.class)
                .hasMessageContaining("not drained within 20s");
        assertThat(ctx.sleeps().stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(20));
        assertThat(ctx.sleeps()).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(20)));
    }

    @Test
    void aPodCoveredBySeveralBudgetsIsReportedLikeKubectlAndTheOthersAreStillEvicted() {
        Fixtures.podOnNode(cluster.client(), "default", "p2", "node-1", "ReplicaSet", false);
        cluster.dispatcher().orElseThrow().requests.clear();
        String msg = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
        cluster.server().orElseThrow().expect().post().withPath(P1).andReturn(500, Map.of("kind", "Status",
                "apiVersion", "v1", "status", "Failure", "code", 500, "reason", "InternalError", "message", msg)).always();
        var a = drain();
        var ctx = ctx(a, Map.of("node", "node-1", "timeout", 60, "retry_interval", 5));

        var e = org.junit.jupiter.api.Assertions.assertThrows(ActionException.class, () -> a.execute(ctx));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).isEqualTo("kubectl_drain: Node node-1 not drained: the API server refused to evict "
                + "1 pod(s) (node is cordoned in the dry run; the other pods were evicted); 1 pod(s) left: default/p1 "
                + "(error when evicting pods/p1 -n default: " + msg + ")");
        assertThat(evictions("p1")).isEqualTo(1);
        assertThat(evictions("p2")).isEqualTo(1);
        assertThat(ctx.sleeps()).isEmpty();
    }
}
