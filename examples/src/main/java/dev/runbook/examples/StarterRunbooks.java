package dev.runbook.examples;

import static dev.runbook.dsl.Runbooks.list;
import static dev.runbook.dsl.Runbooks.map;

import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.Runbooks;
import dev.runbook.dsl.fluent.SafetySpec;
import java.time.Duration;
import java.util.List;

/**
 * The starter runbooks of {@code examples/runbooks/} written with the Java DSL: each one equals the model loaded
 * from its file (StarterRunbooksParityTest), so a host can take them from code or from files.
 */
public final class StarterRunbooks {
    private StarterRunbooks() {
    }

    /** All ten, in file-name order. */
    public static List<Runbook> all() {
        return List.of(cpuOverload(), crashLoopAfterRollout(), deploymentStuckRolloutUndo(), evictedDiskPressure(),
                highErrorRate(), hpaMaxCpuSaturation(), imagePullBackOffFixAuth(), memorySpike(),
                nodeNotReadyCordonDrain(), oomKilledIncreaseMemory());
    }

    private static final String VERIFY_OOM = """
            MATCH (e:Episodic {eid: $incident_id})
            MATCH (new_incident:Episodic)-[:ABOUT]->(r:Resource {rid: $resource_rid})
            WHERE new_incident.event_time > $incident_time + duration({minutes: 5})
              AND new_incident.reason IN ['OOMKilled', 'CrashLoopBackOff']
            RETURN count(new_incident) AS new_failures
            """;

    /** Seed 000: OOMKilled, increase memory (k8s_set_resources instead of a strategic-merge patch). */
    public static Runbook oomKilledIncreaseMemory() {
        return Runbooks.runbook("oomkilled-increase-memory-v1")
                .name("Auto-remediate OOMKilled by increasing memory").version("1.0").author("sre-team")
                .trigger(t -> t.rootCause("OOMKilled").symptoms("CrashLoopBackOff", "BackOff", "Error")
                        .minConfidence(0.80).resourceKinds("Pod"))
                .safety(s -> s.requireApproval(false).maxExecutionsPerHour(5).blastRadiusLimit(10).dryRunFirst(true))
                .step("Get current memory limit").action("kubectl_get")
                    .param("resource", "pod")
                    .param("name", "{{ incident.resource.name }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("field", "spec.containers[0].resources.limits.memory")
                    .outputVar("current_memory")
                .step("Calculate new memory limit").action("calculate")
                    .param("expression", "{{ current_memory | parse_memory | multiply(2) | format_memory }}")
                    .outputVar("new_memory")
                .step("Update Deployment memory limit").action("k8s_set_resources")
                    .param("kind", "deployment")
                    .param("name", "{{ incident.resource.controller }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("container", "{{ incident.resource.container_name }}")
                    .param("limits", map("memory", "{{ new_memory }}"))
                .step("Wait for pod to restart").action("wait")
                    .param("condition", "pod/{{ incident.resource.name }} ready")
                    .param("timeout", 300)
                .step("Verify incident resolved").action("check_neo4j")
                    .param("query", VERIFY_OOM)
                    .expect("new_failures == 0")
                .notifyOnSuccess().slack("#incidents", "Auto-remediated OOMKilled incident. Pod: {{ incident.resource.name }}. "
                        + "Action: increased memory {{ current_memory }} -> {{ new_memory }}. RCA confidence: {{ incident.rca_confidence }}")
                .notifyOnFailure().slack("#incidents", "Runbook failed for OOMKilled incident. Pod: {{ incident.resource.name }}. "
                        + "Error: {{ error_message }}. Manual intervention required")
                .rollback("Revert memory change").action("k8s_set_resources")
                    .param("kind", "deployment")
                    .param("name", "{{ incident.resource.controller }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("container", "{{ incident.resource.container_name }}")
                    .param("limits", map("memory", "{{ current_memory }}"))
                .build();
    }

    /** Seed 000: ImagePullBackOff, fix registry auth (min_confidence as a guard, registry_config declared). */
    public static Runbook imagePullBackOffFixAuth() {
        return Runbooks.runbook("imagepullbackoff-fix-auth-v1")
                .name("ImagePullBackOff: fix registry auth")
                .trigger(t -> t.rootCause("ImagePullBackOff"))
                .safety(s -> s.requireApproval(true).minConfidence(0.75).dryRunFirst(true))
                .secret("registry_config", "the registry's docker config JSON")
                .step("Check if secret exists").action("kubectl_get")
                    .param("resource", "secret")
                    .param("name", "regcred")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .onFailure(OnFailure.CONTINUE)
                .step("Recreate secret").action("kubectl_apply")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("manifest", map(
                            "apiVersion", "v1",
                            "kind", "Secret",
                            "metadata", map("name", "regcred"),
                            "type", "kubernetes.io/dockerconfigjson",
                            "data", map(".dockerconfigjson", "{{ base64(registry_config) }}")))
                .step("Restart pods").action("kubectl_rollout_restart")
                    .param("resource", "deployment/{{ incident.resource.controller }}")
                .build();
    }

    /**
     * Seed 000: NodeNotReady, cordon and drain (pods Terminating for more than 60s count as gone, since the node's
     * kubelet never confirms), then ask the cloud provider for a new node.
     */
    public static Runbook nodeNotReadyCordonDrain() {
        return Runbooks.runbook("nodenotready-cordon-drain-v1")
                .name("NodeNotReady: cordon and drain")
                .trigger(t -> t.rootCause("NodeNotReady").minConfidence(0.85).resourceKinds("Node"))
                .safety(s -> s.requireApproval(true).dryRunFirst(true))
                .step("Cordon node").action("kubectl_cordon")
                    .param("node", "{{ incident.resource.name }}")
                .step("Drain pods").action("kubectl_drain")
                    .param("node", "{{ incident.resource.name }}")
                    .param("ignore_daemonsets", true)
                    .param("delete_emptydir_data", true)
                    .param("timeout", 300)
                    .param("skip_wait_for_delete_timeout", 60)
                .step("Trigger node replacement (cloud provider)").action("webhook")
                    .param("url", "https://cloud-api.example.com/replace-node")
                    .param("method", "POST")
                    .param("body", map("node_name", "{{ incident.resource.name }}", "cluster", "{{ incident.cluster }}"))
                .build();
    }

    /** Seed 002's guardrails, shared by its three runbooks. */
    private static void seed002Safety(SafetySpec s) {
        s.maxActionsPerHour(10)
                .maxActionPerResourcePerHour("restart-container", 3)
                .minActionSpacing(Duration.ofSeconds(5))
                .replicas(1, 5)
                .envWhitelist("LOG_LEVEL");
    }

    /** Seed 002: memory spike, restart the container after keeping the evidence. */
    public static Runbook memorySpike() {
        return Runbooks.runbook("memory-spike-v1")
                .name("Memory spike: restart the container")
                .trigger(t -> t.rootCause("MEMORY_SPIKE").resourceKinds("Container")
                        .when("incident.attributes.memory_percent > 80"))
                .safety(StarterRunbooks::seed002Safety)
                .step("Capture memory metrics").action("container-metrics")
                    .param("container", "{{ incident.resource.name }}")
                    .outputVar("metrics_before")
                .step("Keep recent logs").action("container-logs")
                    .param("container", "{{ incident.resource.name }}")
                    .param("tail", 200)
                    .param("since", "10m")
                    .outputVar("recent_logs")
                    .onFailure(OnFailure.CONTINUE)
                .step("Restart container").action("restart-container")
                    .param("container", "{{ incident.resource.name }}")
                    .retry(3, Duration.ofSeconds(2)) // retry: {attempts: 3, backoff: 2s}: doubling, at most 30 s
                    .timeout(Duration.ofSeconds(60))
                .build();
    }

    /** Seed 002: CPU overload, scale the service out within replicas 1..5. */
    public static Runbook cpuOverload() {
        return Runbooks.runbook("cpu-overload-v1")
                .name("CPU overload: scale the service out")
                .trigger(t -> t.rootCause("CPU_OVERLOAD").resourceKinds("Container")
                        .when("incident.attributes.cpu_percent > 90"))
                .safety(StarterRunbooks::seed002Safety)
                .step("Scale out service").action("scale-service")
                    .param("service", "{{ incident.resource.controller }}")
                    .param("replicas", 3)
                .build();
    }

    /** Seed 002: high error rate, raise the log level, then roll back or restart. */
    public static Runbook highErrorRate() {
        return Runbooks.runbook("high-error-rate-v1")
                .name("High error rate: restart or roll back")
                .trigger(t -> t.rootCause("HIGH_ERROR_RATE").resourceKinds("Container")
                        .when("incident.attributes.error_rate_percent > 5"))
                .safety(StarterRunbooks::seed002Safety)
                .step("Raise log level").action("update-env-vars")
                    .param("container", "{{ incident.resource.name }}")
                    .param("env", map("LOG_LEVEL", "debug"))
                    .onFailure(OnFailure.CONTINUE)
                .step("Choose remediation").branch("incident.attributes.error_rate_percent > 20")
                    .then(t -> t.step("Roll back deployment").action("rollback-deployment")
                            .param("container", "{{ incident.resource.name }}"))
                    .otherwise(o -> o.step("Restart container").action("restart-container")
                            .param("container", "{{ incident.resource.name }}"))
                .build();
    }

    /** CrashLoopBackOff after a bad rollout: roll back to the previous revision and verify in the graph. */
    public static Runbook crashLoopAfterRollout() {
        return Runbooks.runbook("crashloop-after-rollout-rollback-v1")
                .name("CrashLoopBackOff after a rollout: roll back").author("sre-team")
                .trigger(t -> t.rootCause("DeploymentRollout", "BadRollout").symptoms("CrashLoopBackOff")
                        .minConfidence(0.80).resourceKinds("Pod"))
                .safety(s -> s.maxExecutionsPerHour(3).maxExecutionsPerResourcePerHour(1)
                        .cooldown(Duration.ofMinutes(30)).dryRunFirst(true))
                .step("Record the bad image").action("kubectl_get")
                    .param("resource", "deployment")
                    .param("name", "{{ incident.resource.controller }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("field", "spec.template.spec.containers[0].image")
                    .outputVar("bad_image")
                .step("Roll back to the previous revision").action("kubectl_rollout_undo")
                    .param("resource", "deployment/{{ incident.resource.controller }}")
                    .param("to_revision", 0)
                .step("Wait for the rollout").action("wait")
                    .param("condition", "deployment/{{ incident.resource.controller }} available")
                    .param("timeout", 300)
                .step("Verify the crash loop stopped").action("check_neo4j")
                    .param("query", """
                            MATCH (new_incident:Episodic)-[:ABOUT]->(r:Resource {rid: $resource_rid})
                            WHERE new_incident.event_time > $incident_time + duration({minutes: 5})
                              AND new_incident.reason = 'CrashLoopBackOff'
                            RETURN count(new_incident) AS new_failures
                            """)
                    .expect("new_failures == 0")
                .notifyOnSuccess().slack("#deploys", "Rolled back {{ incident.resource.controller }} away from image "
                        + "{{ bad_image }}: its pods crash-looped after the rollout")
                .notifyOnFailure().slack("#deploys", "Rollback of {{ incident.resource.controller }} failed: {{ error_message }}")
                .build();
    }

    /** Evicted pods on disk pressure: delete the evicted pod, cordon the node while under pressure. */
    public static Runbook evictedDiskPressure() {
        return Runbooks.runbook("evicted-disk-pressure-v1")
                .name("Evicted on disk pressure: clean up and cordon the node").author("sre-team")
                .trigger(t -> t.rootCause("DiskPressure").symptoms("Evicted").minConfidence(0.80).resourceKinds("Pod"))
                .safety(s -> s.maxExecutionsPerHour(10).blastRadiusLimit(2).dryRunFirst(true))
                .step("Find the node").action("kubectl_get")
                    .param("resource", "pod")
                    .param("name", "{{ incident.resource.name }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("field", "spec.nodeName")
                    .outputVar("node_name")
                .step("Read disk pressure").action("kubectl_get")
                    .param("resource", "node")
                    .param("name", "{{ node_name }}")
                    .param("field", "status.conditions[type=DiskPressure].status")
                    .param("default", "Unknown")
                    .outputVar("disk_pressure")
                .step("Cordon while under pressure").branch("disk_pressure == 'True'")
                    .then(t -> t.step("Cordon node").action("kubectl_cordon").param("node", "{{ node_name }}"))
                .step("Delete the evicted pod").action("kubectl_delete_pod")
                    .param("name", "{{ incident.resource.name }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                .notifyOnSuccess().slack("#infra", "Deleted evicted pod {{ incident.resource.name }}; node {{ node_name }} "
                        + "disk pressure: {{ disk_pressure }} (cordoned when True). Free its disk, then uncordon it.")
                .build();
    }

    /** A Deployment stuck in progress: undo the rollout once Kubernetes marked ProgressDeadlineExceeded. */
    public static Runbook deploymentStuckRolloutUndo() {
        return Runbooks.runbook("deployment-stuck-rollout-undo-v1")
                .name("Deployment stuck in progress: undo the rollout after its deadline").author("sre-team")
                .trigger(t -> t.rootCause("ProgressDeadlineExceeded").minConfidence(0.70).resourceKinds("Deployment"))
                .safety(s -> s.maxExecutionsPerResourcePerHour(1).cooldown(Duration.ofHours(1)).dryRunFirst(true))
                .step("Confirm the deadline passed").action("kubectl_get")
                    .param("resource", "deployment")
                    .param("name", "{{ incident.resource.name }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("field", "status.conditions[type=Progressing].reason")
                    .param("default", "unknown")
                    .outputVar("progress")
                    .expect("result == 'ProgressDeadlineExceeded'")
                .step("Undo the rollout").action("kubectl_rollout_undo")
                    .param("resource", "deployment/{{ incident.resource.name }}")
                .step("Wait for the previous version").action("wait")
                    .param("condition", "deployment/{{ incident.resource.name }} available")
                    .param("timeout", 600)
                .notifyOnSuccess().slack("#deploys", "Rollout of {{ incident.resource.name }} exceeded its progress deadline and was undone")
                .notifyOnFailure().slack("#deploys", "Could not undo the stuck rollout of {{ incident.resource.name }}: {{ error_message }}")
                .build();
    }

    /** HPA at max with CPU saturation: raise maxReplicas by up to 50%, capped at max_replicas_ceiling. */
    public static Runbook hpaMaxCpuSaturation() {
        return Runbooks.runbook("hpa-max-cpu-saturation-v1")
                .name("HPA at max with CPU saturation: raise max replicas within bounds").author("sre-team")
                .trigger(t -> t.rootCause("HPAMaxedOut").symptoms("CPUSaturation", "HighCPU").minConfidence(0.80)
                        .resourceKinds("HorizontalPodAutoscaler").when("incident.attributes.cpu_utilization_percent >= 90"))
                .safety(s -> s.maxExecutionsPerResourcePerHour(1).cooldown(Duration.ofMinutes(30)).dryRunFirst(true))
                .parameter("max_replicas_ceiling", "the highest maxReplicas this runbook may set", 20)
                .step("Read max replicas").action("kubectl_get")
                    .param("resource", "hpa")
                    .param("name", "{{ incident.resource.name }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("field", "spec.maxReplicas")
                    .outputVar("current_max")
                .step("Calculate raised max replicas").action("calculate")
                    .param("expression", "{{ round(current_max * 1.5) }}")
                    .outputVar("raised_max")
                .step("Cap at the ceiling").action("calculate")
                    .param("expression", "{{ raised_max > max_replicas_ceiling ? max_replicas_ceiling : raised_max }}")
                    .outputVar("new_max")
                .step("Check bounds").action("assert")
                    .param("that", "{{ new_max > current_max && new_max <= max_replicas_ceiling }}")
                    .param("message", "maxReplicas is already at the ceiling (max_replicas_ceiling); scaling further needs a human")
                .step("Raise max replicas").action("kubectl_patch")
                    .param("resource", "hpa")
                    .param("name", "{{ incident.resource.name }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("type", "json")
                    .param("patch", list(map("op", "replace", "path", "/spec/maxReplicas", "value", "{{ new_max }}")))
                .notifyOnSuccess().slack("#capacity", "Raised maxReplicas of HPA {{ incident.resource.name }} from "
                        + "{{ current_max }} to {{ new_max }} (ceiling {{ max_replicas_ceiling }})")
                .notifyOnFailure().slack("#capacity", "HPA {{ incident.resource.name }} is saturated and was not changed: {{ error_message }}")
                .rollback("Restore max replicas").action("kubectl_patch")
                    .param("resource", "hpa")
                    .param("name", "{{ incident.resource.name }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("type", "json")
                    .param("patch", list(map("op", "replace", "path", "/spec/maxReplicas", "value", "{{ current_max }}")))
                .build();
    }
}
