package dev.runbook.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.ActionStep;
import dev.runbook.k8s.testing.Fixtures;
import dev.runbook.k8s.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resulting objects of the actions whose semantics the CRUD mock implements faithfully (JSON patch, reads, RS lists). */
class KubernetesActionsTest {
    private TestCluster cluster;
    private KubernetesActions actions;
    private Deployment web;

    @BeforeEach
    void start() {
        cluster = TestCluster.mock();
        web = Fixtures.createWeb(cluster.client(), "default");
        actions = new KubernetesActions(KubernetesClients.of(cluster.client()));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private TestActionContext.Builder ctx(String name) {
        Action a = actions.actions().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        return TestActionContext.builder(a).incident(Incident.builder("i-1").symptomReason("CrashLoopBackOff")
                .rootCause("OOMKilled", 0.9).resource(new ResourceRef("Pod", "web-1", "default", Optional.empty(),
                        Optional.of("web"), Optional.of("app"))).build());
    }

    private Object run(String name, Map<String, Object> params) throws Exception {
        Action a = actions.actions().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        return a.execute(ctx(name).params(params).build()).output().orElseThrow();
    }

    private Deployment live() {
        return cluster.client().apps().deployments().inNamespace("default").withName("web").get();
    }

    @Test
    void getReadsAFieldByIndexOrByNameOrTheWholeObject() throws Exception {
        assertThat(run("kubectl_get", Map.of("resource", "deployment/web",
                "field", "spec.template.spec.containers[0].resources.limits.memory"))).isEqualTo("256Mi");
        assertThat(run("kubectl_get", Map.of("resource", "deployments", "name", "web",
                "field", "spec.template.spec.containers[name=sidecar].image"))).isEqualTo("registry.example.com/proxy:2.0");
        assertThat(run("kubectl_get", Map.of("kind", "Deployment", "name", "web"))).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("kind", "Deployment");
        assertThatThrownBy(() -> run("kubectl_get", Map.of("resource", "deployment/web", "field", "spec.paused")))
                .isInstanceOf(ActionException.class).hasMessageContaining("field 'spec.paused' is not set on Deployment default/web");
        assertThatThrownBy(() -> run("kubectl_get", Map.of("resource", "deploymnt/web")))
                .hasMessageContaining("parameter 'resource': unknown resource kind 'deploymnt'");
    }

    @Test
    void setResourcesChangesOnlyTheNamedContainerKeys() throws Exception {
        run("k8s_set_resources", Map.of("limits", Map.of("memory", "512Mi", "cpu", "1"), "requests", Map.of("memory", "256Mi")));

        var containers = live().getSpec().getTemplate().getSpec().getContainers();
        var app = containers.get(0);
        assertThat(app.getResources().getLimits()).extractingByKeys("memory", "cpu").map(String::valueOf)
                .containsExactly("512Mi", "1");
        assertThat(String.valueOf(app.getResources().getRequests().get("memory"))).isEqualTo("256Mi");
        assertThat(app.getImage()).isEqualTo("registry.example.com/web:1.4.2");
        assertThat(app.getEnv()).hasSize(1);
        assertThat(containers.get(1).getResources() == null || containers.get(1).getResources().getLimits() == null
                || containers.get(1).getResources().getLimits().isEmpty()).isTrue();
        assertThatThrownBy(() -> run("k8s_set_resources", Map.of("limits", Map.of("memory", "lots"))))
                .hasMessageContaining("parameter 'limits.memory': 'lots' is not a Kubernetes quantity");
        assertThatThrownBy(() -> run("k8s_set_resources", Map.of("container", "db", "limits", Map.of("memory", "1Gi"))))
                .hasMessageContaining("has no container 'db' (containers: [app, sidecar])");
    }

    @Test
    void rolloutUndoRestoresThePreviousReplicaSetTemplate() throws Exception {
        var oldTemplate = Fixtures.web("default").getSpec().getTemplate();
        oldTemplate.getSpec().getContainers().get(0).setImage("registry.example.com/web:1.4.1");
        oldTemplate.getMetadata().getLabels().put("pod-template-hash", "aaa");
        for (var rev : new String[] {"1", "2"}) {
            var b = new ReplicaSetBuilder().withNewMetadata().withName("web-" + rev)
                    .addToAnnotations("deployment.kubernetes.io/revision", rev).addNewOwnerReference().withApiVersion("apps/v1")
                    .withKind("Deployment").withName("web").withUid(web.getMetadata().getUid()).withController(true)
                    .endOwnerReference().endMetadata().withNewSpec()
                    .withTemplate(rev.equals("1") ? oldTemplate : web.getSpec().getTemplate()).endSpec().build();
            cluster.client().apps().replicaSets().inNamespace("default").resource(b).create();
        }
        cluster.client().apps().deployments().inNamespace("default").withName("web").edit(d -> {
            d.getMetadata().setAnnotations(Map.of("deployment.kubernetes.io/revision", "2"));
            return d;
        });

        Object out = run("kubectl_rollout_undo", Map.of());

        assertThat(out).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("to_revision", 1L);
        var template = live().getSpec().getTemplate();
        assertThat(template.getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example.com/web:1.4.1");
        assertThat(template.getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
    }

    @Test
    void aRetriedRolloutUndoKeepsTheRevisionChosenAtTheFirstAttempt() throws Exception {
        var badTemplate = Fixtures.web("default").getSpec().getTemplate();
        var goodTemplate = Fixtures.web("default").getSpec().getTemplate();
        goodTemplate.getSpec().getContainers().get(0).setImage("registry.example.com/web:1.4.1");
        var web = live();
        for (var rev : new String[] {"2", "3"}) {
            var b = new ReplicaSetBuilder().withNewMetadata().withName("web-r" + rev)
                    .addToAnnotations("deployment.kubernetes.io/revision", rev).addNewOwnerReference().withApiVersion("apps/v1")
                    .withKind("Deployment").withName("web").withUid(web.getMetadata().getUid()).withController(true)
                    .endOwnerReference().endMetadata().withNewSpec()
                    .withTemplate(rev.equals("2") ? goodTemplate : badTemplate).endSpec().build();
            cluster.client().apps().replicaSets().inNamespace("default").resource(b).create();
        }
        cluster.client().apps().deployments().inNamespace("default").withName("web").edit(d -> {
            d.getMetadata().setAnnotations(Map.of("deployment.kubernetes.io/revision", "3"));
            return d;
        });
        Action undo = actions.actions().stream().filter(x -> x.name().equals("kubectl_rollout_undo")).findFirst().orElseThrow();
        TestActionContext first = ctx("kubectl_rollout_undo").build();
        undo.execute(first);
        assertThat(live().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/web:1.4.1");
        // What the Deployment controller does after an undo: the restored ReplicaSet becomes the newest revision (4).
        // The first attempt's answer was lost (a timeout), so the engine retries.
        cluster.client().apps().replicaSets().inNamespace("default").withName("web-r2").edit(rs -> {
            rs.getMetadata().setAnnotations(Map.of("deployment.kubernetes.io/revision", "4"));
            return rs;
        });
        cluster.client().apps().deployments().inNamespace("default").withName("web").edit(d -> {
            d.getMetadata().setAnnotations(Map.of("deployment.kubernetes.io/revision", "4"));
            return d;
        });
        var retry = undo.execute(ctx("kubectl_rollout_undo").retry(2, first.fixedAtFirstAttemptValues()).build());

        // Without the pin, "previous" of revision 4 is the bad revision 3, and the retry would restore it.
        assertThat(live().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/web:1.4.1");
        assertThat(retry.summary()).contains("already matches revision 4");
    }

    /** ReplicaSets web-1 (image 1.4.1, with {@code oldAnnotations}) and web-2 (the live template) owned by web. */
    private void twoRevisions(Map<String, String> oldAnnotations) {
        var oldTemplate = Fixtures.web("default").getSpec().getTemplate();
        oldTemplate.getSpec().getContainers().get(0).setImage("registry.example.com/web:1.4.1");
        for (var rev : new String[] {"1", "2"}) {
            var b = new ReplicaSetBuilder().withNewMetadata().withName("web-" + rev)
                    .addToAnnotations(rev.equals("1") ? oldAnnotations : Map.of())
                    .addToAnnotations("deployment.kubernetes.io/revision", rev).addNewOwnerReference().withApiVersion("apps/v1")
                    .withKind("Deployment").withName("web").withUid(web.getMetadata().getUid()).withController(true)
                    .endOwnerReference().endMetadata().withNewSpec()
                    .withTemplate(rev.equals("1") ? oldTemplate : web.getSpec().getTemplate()).endSpec().build();
            cluster.client().apps().replicaSets().inNamespace("default").resource(b).create();
        }
    }

    private void pauseWeb() {
        cluster.client().apps().deployments().inNamespace("default").withName("web").edit(d -> {
            d.getSpec().setPaused(true);
            return d;
        });
    }

    @Test
    void rolloutRestartRefusesAPausedDeployment() {
        pauseWeb();

        assertThatThrownBy(() -> run("kubectl_rollout_restart", Map.of("resource", "deployment/web")))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("kubectl_rollout_restart: can't restart paused Deployment default/web (spec.paused is true), "
                        + "nothing was changed; run rollout resume first (kubectl rollout resume deployment/web)");
        assertThat(live().getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void rolloutUndoRefusesAPausedDeployment() {
        twoRevisions(Map.of());
        pauseWeb();

        assertThatThrownBy(() -> run("kubectl_rollout_undo", Map.of()))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("kubectl_rollout_undo: you cannot roll back paused Deployment default/web (spec.paused is true), "
                        + "nothing was changed; resume it first (kubectl rollout resume deployment/web) and try again");
        assertThat(live().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/web:1.4.2");
    }

    @Test
    void rolloutUndoRestoresTheRevisionsAnnotationsButKeepsTheDeploymentsBookkeeping() throws Exception {
        twoRevisions(Map.of("kubernetes.io/change-cause", "deploy web 1.4.1", "team/owner", "payments",
                "deployment.kubernetes.io/desired-replicas", "3", "deployment.kubernetes.io/max-replicas", "4",
                "deployment.kubernetes.io/revision-history", "0",
                "kubectl.kubernetes.io/last-applied-configuration", "{\"old\":true}"));
        cluster.client().apps().deployments().inNamespace("default").withName("web").edit(d -> {
            d.getMetadata().setAnnotations(Map.of("deployment.kubernetes.io/revision", "2",
                    "kubernetes.io/change-cause", "deploy web 1.4.2", "only/on-deployment", "x",
                    "kubectl.kubernetes.io/last-applied-configuration", "{\"new\":true}"));
            return d;
        });

        run("kubectl_rollout_undo", Map.of());

        // kubectl's rollback: the revision's annotations replace the Deployment's, except the bookkeeping ones
        // (revision, revision-history, desired/max replicas, last-applied-configuration), which stay the Deployment's
        assertThat(live().getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "deployment.kubernetes.io/revision", "2",
                "kubectl.kubernetes.io/last-applied-configuration", "{\"new\":true}",
                "kubernetes.io/change-cause", "deploy web 1.4.1",
                "team/owner", "payments"));
        assertThat(live().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/web:1.4.1");
    }

    @Test
    void scaleRespectsTheStepAndRunbookBounds() throws Exception {
        run("kubectl_scale", Map.of("resource", "deployment/web", "replicas", 3, "max", 4));
        assertThat(live().getSpec().getReplicas()).isEqualTo(3);

        assertThatThrownBy(() -> run("kubectl_scale", Map.of("resource", "deployment/web", "replicas", 9, "max", 4)))
                .hasMessage("kubectl_scale: replicas 9 is outside the step's bounds 0..4 (parameters 'min'/'max')");
        Action a = actions.actions().stream().filter(x -> x.name().equals("kubectl_scale")).findFirst().orElseThrow();
        Runbook bounded = Runbook.builder("scale-v1").safety(Safety.builder().replicas(1, 5).build())
                .step(ActionStep.builder("scale", "kubectl_scale").param("replicas", 6).build()).build();
        assertThatThrownBy(() -> a.execute(ctx("kubectl_scale").runbook(bounded)
                .params(Map.of("resource", "deployment/web", "replicas", 6)).build()))
                .hasMessage("kubectl_scale: replicas 6 is outside the runbook's safety.replicas bounds 1..5");
        assertThat(live().getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void cordonAndUncordonFlipTheNode() throws Exception {
        Fixtures.node(cluster.client(), "node-1", true);
        run("kubectl_cordon", Map.of("node", "node-1"));
        assertThat(cluster.client().nodes().withName("node-1").get().getSpec().getUnschedulable()).isTrue();
        run("kubectl_uncordon", Map.of("node", "node-1"));
        assertThat(cluster.client().nodes().withName("node-1").get().getSpec().getUnschedulable()).isFalse();
    }

    @Test
    void drainRefusesUnmanagedPodsWithoutChangingAnything() {
        Fixtures.node(cluster.client(), "node-1", true);
        Fixtures.podOnNode(cluster.client(), "default", "bare", "node-1", null, false);
        Fixtures.podOnNode(cluster.client(), "default", "agent", "node-1", "DaemonSet", false);

        assertThatThrownBy(() -> run("kubectl_drain", Map.of("node", "node-1")))
                .hasMessage("kubectl_drain: refusing to drain Node node-1, nothing was changed: default/bare has no controller "
                        + "and would not come back (set force: true); default/agent is managed by a DaemonSet "
                        + "(set ignore_daemonsets: true)");
        assertThat(cluster.client().nodes().withName("node-1").get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void waitConditionsParseTheSeedFormsAndRejectTyposClearly() {
        var conditions = new KubernetesWaitConditions(KubernetesClients.of(cluster.client()));
        assertThat(conditions.parse("pod/web-1 ready")).hasValueSatisfying(c -> assertThat(c.description()).isEqualTo("pod/web-1 ready"));
        assertThat(conditions.parse("deploy/web available")).isPresent();
        assertThat(conditions.parse("node/n1 ready")).isPresent();
        assertThat(conditions.parse("pod/web-1 gone")).isPresent();
        assertThat(conditions.parse("queue/jobs empty")).isEmpty();
        assertThatThrownBy(() -> conditions.parse("pod/web-1 redy"))
                .hasMessage("unknown state 'redy' for a pod; use pod/NAME ready or pod/NAME gone");
    }
}
