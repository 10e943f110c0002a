package dev.runbook.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.model.Incident;
import dev.runbook.k8s.testing.Fixtures;
import dev.runbook.k8s.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Incidents from pod and node status through informers on the CRUD mock; one per problem until it clears. */
class KubernetesIncidentSourceTest {
    private TestCluster cluster;
    private KubernetesIncidentSource source;
    private final BlockingQueue<Incident> incidents = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        cluster = TestCluster.mock();
        var web = Fixtures.createWeb(cluster.client(), "default");
        cluster.client().apps().replicaSets().inNamespace("default").resource(new ReplicaSetBuilder().withNewMetadata()
                .withName("web-5d8f").addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("web")
                .withUid(web.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withTemplate(web.getSpec().getTemplate()).endSpec().build()).create();
        source = KubernetesIncidentSource.builder(cluster.client(), incidents::add).cluster("prod-eu-1")
                .clock(new TestClock()).build().start();
    }

    @AfterEach
    void stop() {
        source.close();
        cluster.close();
    }

    private Pod pod(boolean ready, String waiting, String lastTerminated, int restarts) {
        var cs = new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("app").withImage("web:1")
                .withReady(ready).withRestartCount(restarts);
        if (waiting != null) {
            cs.withNewState().withNewWaiting().withReason(waiting).endWaiting().endState();
        } else {
            cs.withNewState().withNewRunning().endRunning().endState();
        }
        if (lastTerminated != null) {
            cs.withNewLastState().withNewTerminated().withReason(lastTerminated).withExitCode(137).endTerminated().endLastState();
        }
        return new PodBuilder().withNewMetadata().withName("web-5d8f-x2").withNamespace("default").withUid("pod-uid-1")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-5d8f")
                .withUid("rs-uid").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("web:1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withContainerStatuses(cs.build()).endStatus().build();
    }

    @Test
    void anOomKilledContainerRaisesOneIncidentWithItsDeploymentUntilItRecovers() throws Exception {
        var pods = cluster.client().pods().inNamespace("default");
        pods.resource(pod(false, "CrashLoopBackOff", "OOMKilled", 3)).create();

        Incident first = incidents.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.rootCauseReason()).isEqualTo("OOMKilled");
        assertThat(first.symptomReason()).isEqualTo("CrashLoopBackOff");
        assertThat(first.cluster()).hasValue("prod-eu-1");
        assertThat(first.resource().name()).isEqualTo("web-5d8f-x2");
        assertThat(first.resource().controller()).hasValue("web");
        assertThat(first.resource().containerName()).hasValue("app");

        // another restart of the same problem: no new incident
        pods.resource(pod(false, "CrashLoopBackOff", "OOMKilled", 4)).update();
        // recovered, then killed again: a new problem
        pods.resource(pod(true, null, "OOMKilled", 4)).update();
        pods.resource(pod(false, "CrashLoopBackOff", "OOMKilled", 5)).update();

        Incident second = incidents.poll(10, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        assertThat(second.rootCauseReason()).isEqualTo("OOMKilled");
        assertThat(incidents.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void imagePullBackOffAndNodeNotReadyAreReported() throws Exception {
        cluster.client().pods().inNamespace("default").resource(pod(false, "ErrImagePull", null, 0)).create();
        Fixtures.node(cluster.client(), "node-7", false);

        var seen = new java.util.ArrayList<Incident>();
        for (int i = 0; i < 2; i++) {
            Incident inc = incidents.poll(10, TimeUnit.SECONDS);
            assertThat(inc).isNotNull();
            seen.add(inc);
        }
        assertThat(seen).extracting(Incident::rootCauseReason).containsExactlyInAnyOrder("ImagePullBackOff", "NodeNotReady");
        assertThat(seen).filteredOn(i -> i.rootCauseReason().equals("NodeNotReady")).singleElement()
                .satisfies(i -> assertThat(i.resource().key()).isEqualTo("Node/node-7"));
        assertThat(source.activeProblems()).hasSize(2);
    }
}
