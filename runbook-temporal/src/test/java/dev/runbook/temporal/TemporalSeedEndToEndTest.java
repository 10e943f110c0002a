package dev.runbook.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.action.builtin.BuiltinActionsConfig;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.k8s.KubernetesActions;
import dev.runbook.k8s.KubernetesClients;
import dev.runbook.k8s.KubernetesWaitConditions;
import dev.runbook.k8s.testing.CheckNeo4jStandIn;
import dev.runbook.k8s.testing.Fixtures;
import dev.runbook.k8s.testing.SimulatedController;
import dev.runbook.k8s.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's OOMKilled runbook, loaded from its YAML (runbook-k8s's test resources), run by an engine whose plans
 * execute on Temporal's in-process test server, on the Kubernetes mock with runbook-k8s's simulated Deployment
 * controller and its {@code check_neo4j} stand-in: the dry run first (in the engine), then the workflow's steps on a
 * {@link RunbookWorkers}, and the rollback as the workflow's compensation when the verification fails.
 */
class TemporalSeedEndToEndTest {
    private TestWorkflowEnvironment temporal;
    private TestCluster cluster;
    private SimulatedController controller;
    private final CheckNeo4jStandIn neo4j = new CheckNeo4jStandIn();
    private String ns;

    @BeforeEach
    void start() {
        temporal = TestWorkflowEnvironment.newInstance();
        cluster = TestCluster.mock();
        ns = cluster.namespace();
        controller = new SimulatedController(cluster.client(), ns);
    }

    @AfterEach
    void stop() {
        controller.close();
        cluster.close();
        temporal.close();
    }

    private RunbookEngine engine() throws Exception {
        KubernetesClients clients = KubernetesClients.of(cluster.client());
        var builtins = new BuiltinActions(BuiltinActionsConfig.custom()
                .waitConditionProvider(new KubernetesWaitConditions(clients)).build());
        var kubernetes = new KubernetesActions(clients);
        ActionRegistry registry = ActionRegistry.builder().provider(builtins).provider(kubernetes).provider(neo4j).build();
        String text;
        try (InputStream in = getClass().getResourceAsStream("/seed/oomkilled-increase-memory.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Runbook runbook = TemporalTestServer.load(text, "seed/oomkilled.yaml", registry);
        return RunbookEngine.builder().discoverActions(false).runbook(runbook)
                .actionProvider(builtins).actionProvider(kubernetes).actionProvider(neo4j)
                .approvalGateway(ApprovalGateway.approveAll("oncall", Clock.systemUTC()))
                .executionBackend(TemporalBackend.builder().client(temporal.getWorkflowClient()).actions(registry).build())
                .build();
    }

    private Incident incident(Pod pod) {
        return Incident.builder("event-oom-1").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.92)
                .resource(new ResourceRef("Pod", pod.getMetadata().getName(), ns, Optional.empty(), Optional.of("web"),
                        Optional.of("app")))
                .eventTime(Instant.parse("2025-01-15T10:30:00Z")).build();
    }

    private Pod firstPod() throws Exception {
        return cluster.client().pods().inNamespace(ns).withLabel("app", "web")
                .informOnCondition(l -> !l.isEmpty()).get(30, TimeUnit.SECONDS).get(0);
    }

    private long memoryLimit() {
        var c = cluster.client().apps().deployments().inNamespace(ns).withName("web").get().getSpec().getTemplate()
                .getSpec().getContainers().stream().filter(x -> x.getName().equals("app")).findFirst().orElseThrow();
        return Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValueExact();
    }

    @Test
    void theSeedRunbookDoublesTheMemoryOnAWorkflowAfterTheEnginesDryRun() throws Exception {
        Fixtures.createWeb(cluster.client(), ns);
        Pod pod = firstPod();
        neo4j.newFailures = 0;
        try (RunbookEngine engine = engine();
             var workers = RunbookWorkers.builder().client(temporal.getWorkflowClient()).engine(engine)
                     .deadlockDetectionTimeout(java.time.Duration.ofSeconds(30)).build().start()) {
            Execution e = engine.handle(incident(pod));

            assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.dryRunSteps()).extracting(StepResult::name).contains("Update Deployment memory limit");
            assertThat(e.dryRunSteps()).allMatch(StepResult::dryRun);
            assertThat(e.steps()).extracting(StepResult::name).containsExactly("Get current memory limit",
                    "Calculate new memory limit", "Update Deployment memory limit", "Wait for pod to restart",
                    "Verify incident resolved");
            assertThat(e.actionsTaken()).singleElement().asString()
                    .startsWith("patched Deployment " + ns + "/web: memory 256Mi -> ");
            // the workflow ran under the execution's id, on the default cluster's queue
            var history = temporal.getWorkflowClient().fetchHistory(e.id());
            assertThat(history.getEvents()).isNotEmpty();
            assertThat(workers.taskQueue()).isEqualTo("runbook-default");
        }
        assertThat(memoryLimit()).isEqualTo(512L * 1024 * 1024);
        assertThat(neo4j.queries).extracting(CheckNeo4jStandIn.Query::dryRun).containsExactly(true, false);
    }

    @Test
    void aFailedVerificationRollsBackAsTheWorkflowsCompensation() throws Exception {
        Fixtures.createWeb(cluster.client(), ns);
        Pod pod = firstPod();
        neo4j.newFailures = 2;
        try (RunbookEngine engine = engine();
             var workers = RunbookWorkers.builder().client(temporal.getWorkflowClient()).engine(engine)
                     .deadlockDetectionTimeout(java.time.Duration.ofSeconds(30)).build().start()) {
            Execution e = engine.handle(incident(pod));

            assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(e.error().orElseThrow()).startsWith("step 'Verify incident resolved' failed: ");
            assertThat(e.rollbackSteps()).extracting(StepResult::name).containsExactly("Revert memory change");
            assertThat(e.actionsTaken()).hasSize(2);
            assertThat(e.actionsTaken().get(1)).startsWith("rollback: patched Deployment " + ns + "/web: memory ")
                    .endsWith("-> 256Mi");
        }
        assertThat(memoryLimit()).isEqualTo(256L * 1024 * 1024);
    }
}
