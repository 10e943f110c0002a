package dev.runbook.dsl.fluent;

import static dev.runbook.dsl.Runbooks.list;
import static dev.runbook.dsl.Runbooks.map;

import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.Runbooks;
import java.time.Duration;

/**
 * The seed runbooks written with the Java DSL, exactly as the seed's YAML loads them (block-scalar patches,
 * manifests and bodies as trees, block-scalar text with its trailing newline, {@code version: 1.0} as "1.0",
 * unset header fields at the model's defaults). Parity tests of the file loaders compare against these.
 */
public final class SeedRunbooksInJava {
    private SeedRunbooksInJava() {
    }

    /** Seed 000, "Runbook Definition Format / Runbook YAML Schema": the full-schema OOMKilled runbook. */
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
                    .param("expression", "{{ current_memory | parse_memory | multiply(2) }}")
                    .outputVar("new_memory")
                .step("Update Deployment memory limit").action("kubectl_patch")
                    .param("resource", "deployment")
                    .param("name", "{{ incident.resource.controller }}")
                    .param("namespace", "{{ incident.resource.namespace }}")
                    .param("patch", memoryPatch("{{ new_memory }}"))
                .step("Wait for pod to restart").action("wait")
                    .param("condition", "pod/{{ incident.resource.name }} ready")
                    .param("timeout", 300)
                // the seed indents expect under params; it is the step's expect over the query's result
                .step("Verify incident resolved").action("check_neo4j")
                    .param("query", """
                            MATCH (e:Episodic {eid: $incident_id})
                            MATCH (new_incident:Episodic)-[:ABOUT]->(r:Resource {rid: $resource_rid})
                            WHERE new_incident.event_time > $incident_time + duration({minutes: 5})
                              AND new_incident.reason IN ['OOMKilled', 'CrashLoopBackOff']
                            RETURN count(new_incident) AS new_failures
                            """)
                    .expect("new_failures == 0")
                .notifyOnSuccess().slack("#incidents", """
                        ✅ Auto-remediated OOMKilled incident
                        Pod: {{ incident.resource.name }}
                        Action: Increased memory {{ current_memory }} → {{ new_memory }}
                        RCA Confidence: {{ incident.rca_confidence }}
                        """)
                .notifyOnFailure().slack("#incidents", """
                        ❌ Runbook failed for OOMKilled incident
                        Pod: {{ incident.resource.name }}
                        Error: {{ error_message }}
                        Manual intervention required
                        """)
                .rollback("Revert memory change").action("kubectl_patch")
                    .param("resource", "deployment")
                    .param("name", "{{ incident.resource.controller }}")
                    .param("patch", memoryPatch("{{ current_memory }}"))
                .build();
    }

    private static Object memoryPatch(String memory) {
        return map("spec", map("template", map("spec", map("containers", list(
                map("name", "{{ incident.resource.container_name }}",
                        "resources", map("limits", map("memory", memory))))))));
    }

    /** Seed 000, "Example Runbooks / Runbook 1: OOMKilled → Increase Memory" (the short form, same id). */
    public static Runbook oomKilledShortExample() {
        return Runbooks.runbook("oomkilled-increase-memory-v1")
                .trigger(t -> t.rootCause("OOMKilled").minConfidence(0.80))
                .step("Increase memory limit").action("kubectl_patch")
                    .param("resource", "deployment")
                    .param("patch", map("spec", map("template", map("spec", map("containers", list(
                            map("name", "app", "resources", map("limits",
                                    map("memory", "{{ current_memory * 2 }}")))))))))
                .build();
    }

    /** Seed 000, "Example Runbooks / Runbook 2: ImagePullBackOff → Fix Registry Auth". */
    public static Runbook imagePullBackOffFixAuth() {
        // the seed reads registry_config without declaring it, so no parameter is declared here either
        return Runbooks.runbook("imagepullbackoff-fix-auth-v1")
                .trigger(t -> t.rootCause("ImagePullBackOff").minConfidence(0.75))
                .safety(s -> s.requireApproval(true))
                .step("Check if secret exists").action("kubectl_get")
                    .param("resource", "secret")
                    .param("name", "regcred")
                    .param("namespace", "{{ incident.resource.namespace }}")
                .step("Recreate secret").action("kubectl_apply")
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

    /** Seed 000, "Example Runbooks / Runbook 3: NodeNotReady → Cordon and Drain" (the JSON body as a tree). */
    public static Runbook nodeNotReadyCordonDrain() {
        return Runbooks.runbook("nodenotready-cordon-drain-v1")
                .trigger(t -> t.rootCause("NodeNotReady").minConfidence(0.85).resourceKinds("Node"))
                .safety(s -> s.requireApproval(true).dryRunFirst(true))
                .step("Cordon node").action("kubectl_cordon")
                    .param("node", "{{ incident.resource.name }}")
                .step("Drain pods").action("kubectl_drain")
                    .param("node", "{{ incident.resource.name }}")
                    .param("ignore_daemonsets", true)
                    .param("delete_emptydir_data", true)
                .step("Trigger node replacement (cloud provider)").action("webhook")
                    .param("url", "https://cloud-api.example.com/replace-node")
                    .param("method", "POST")
                    .param("body", map("node_name", "{{ incident.resource.name }}",
                            "cluster", "{{ incident.cluster }}"))
                .build();
    }

    /**
     * Seed 002's guardrails, shared by its three runbooks ("Guarded Remediation": replicas 1..5, 10 actions an
     * hour, 3 restarts per container an hour, 5 s between actions, env updates to a whitelist). The seed does not
     * name the whitelisted keys; LOG_LEVEL is the one these runbooks change.
     */
    private static void seed002Safety(SafetySpec s) {
        s.maxActionsPerHour(10)
                .maxActionPerResourcePerHour("restart-container", 3)
                .minActionSpacing(Duration.ofSeconds(5))
                .replicas(1, 5)
                .envWhitelist("LOG_LEVEL");
    }

    /**
     * Seed 002, "runbooks/memory-spike.md": detected when memory &gt; 80% ("Detection and Runbook Selection"),
     * remediated by {@code restart-container} after keeping the evidence ({@code container-metrics},
     * {@code container-logs}).
     */
    public static Runbook memorySpike() {
        return Runbooks.runbook("memory-spike-v1")
                .name("Memory spike: restart the container")
                .trigger(t -> t.rootCause("MEMORY_SPIKE").resourceKinds("Container")
                        .when("incident.attributes.memory_percent > 80"))
                .safety(SeedRunbooksInJava::seed002Safety)
                // the monitor's tools keep the evidence before the restart wipes the container's state
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

    /**
     * Seed 002, "runbooks/cpu-overload.md": detected when CPU &gt; 90%, remediated by {@code scale-service}
     * within the replica bounds 1..5.
     */
    public static Runbook cpuOverload() {
        return Runbooks.runbook("cpu-overload-v1")
                .name("CPU overload: scale the service out")
                .trigger(t -> t.rootCause("CPU_OVERLOAD").resourceKinds("Container")
                        .when("incident.attributes.cpu_percent > 90"))
                .safety(SeedRunbooksInJava::seed002Safety)
                .step("Scale out service").action("scale-service")
                    .param("service", "{{ incident.resource.controller }}")
                    .param("replicas", 3)
                .build();
    }

    /**
     * Seed 002, "runbooks/high-error-rate.md": detected when the error rate of the recent log window is above 5%;
     * raises the log level ({@code update-env-vars}, whitelisted keys only), then rolls the deployment back when
     * errors are far above the threshold ({@code rollback-deployment}) and restarts the container otherwise.
     */
    public static Runbook highErrorRate() {
        return Runbooks.runbook("high-error-rate-v1")
                .name("High error rate: restart or roll back")
                .trigger(t -> t.rootCause("HIGH_ERROR_RATE").resourceKinds("Container")
                        .when("incident.attributes.error_rate_percent > 5"))
                .safety(SeedRunbooksInJava::seed002Safety)
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
}
