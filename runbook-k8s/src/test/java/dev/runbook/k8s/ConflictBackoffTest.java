package dev.runbook.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.k8s.testing.Fixtures;
import dev.runbook.k8s.testing.StandInDispatcher.Recorded;
import dev.runbook.k8s.testing.TestCluster;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 409 conflict retries wait on the project's jittered backoff; a 429's retryAfterSeconds reaches the step's retry. */
class ConflictBackoffTest {
    private static final String WEB = "/apis/apps/v1/namespaces/default/deployments/web";
    private TestCluster cluster;
    private KubernetesActions actions;
    private final TestClock clock = new TestClock();

    @BeforeEach
    void start() {
        cluster = TestCluster.mock();
        Fixtures.createWeb(cluster.client(), "default");
        actions = new KubernetesActions(KubernetesClients.of(cluster.client()));
        cluster.dispatcher().orElseThrow().requests.clear();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Action action(String name) {
        return actions.actions().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    private TestActionContext.Builder ctx(Action a) {
        return TestActionContext.builder(a).clock(clock).executionId("exec-1").stepName("resize")
                .incident(Incident.builder("i-1").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                        .resource(ResourceRef.of("Pod", "default", "web-1")).build());
    }

    private static Map<String, Object> status(int code, String reason, Map<String, Object> details) {
        return Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "code", code, "reason", reason,
                "message", reason, "details", details);
    }

    @Test
    void conflictsAreRedoneAfterJitteredWaitsOnTheInjectedSleeper() throws Exception {
        cluster.server().orElseThrow().expect().patch().withPath(WEB).andReturn(409, status(409, "Conflict", Map.of()))
                .times(3);
        var a = action("k8s_set_resources");
        var ctx = ctx(a).params(Map.of("name", "web", "container", "app", "limits", Map.of("memory", "512Mi"))).build();

        var result = a.execute(ctx);

        assertThat(result.summary()).isEqualTo("patched Deployment default/web: memory limit 256Mi -> 512Mi");
        assertThat(cluster.dispatcher().orElseThrow().requests.stream().filter(Recorded::mutating).count()).isEqualTo(4);
        assertThat(ctx.sleeps()).hasSize(3);
        assertThat(ctx.sleeps().get(0)).isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
        assertThat(ctx.sleeps().get(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(ctx.sleeps().get(2)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aThrottledRequestCarriesTheApiServersRetryAfterToTheStepsRetry() {
        cluster.server().orElseThrow().expect().get().withPath(WEB)
                .andReturn(429, status(429, "TooManyRequests", Map.of("retryAfterSeconds", 7))).once();
        var a = action("kubectl_get");
        var e = org.junit.jupiter.api.Assertions.assertThrows(ActionException.class,
                () -> a.execute(ctx(a).params(Map.of("resource", "deployment/web")).build()));

        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Optional.of(Duration.ofSeconds(7)));
    }
}
