package dev.runbook.k8s;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.util.List;
import java.util.Map;

/**
 * The seed's three starter runbooks (000, "Example Runbooks"), built with core's model builders with the seed's steps
 * (to be replaced by their YAML once the loader exists). Differences from the seed, and why: the OOMKilled runbook
 * verifies with kubectl_get instead of check_neo4j (runbook-neo4j's action); the NodeNotReady webhook sends its body
 * as a mapping (never JSON text with values spliced in).
 */
final class SeedRunbooks {
    private SeedRunbooks() {
    }

    static Runbook oomKilled(int waitTimeoutSeconds) {
        Map<String, Object> patch = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "{{ incident.resource.container_name }}",
                        "resources", Map.of("limits", Map.of("memory", "{{ new_memory }}"))))))));
        Map<String, Object> revert = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "{{ incident.resource.container_name }}",
                        "resources", Map.of("limits", Map.of("memory", "{{ current_memory }}"))))))));
        return Runbook.builder("oomkilled-increase-memory-v1").name("Auto-remediate OOMKilled by increasing memory")
                .version("1.0").author("sre-team")
                .trigger(Trigger.builder().rootCauseReason("OOMKilled").symptomReason("CrashLoopBackOff", "BackOff", "Error")
                        .minConfidence(0.80).resourceKind("Pod").build())
                .safety(Safety.builder().requireApproval(false).maxExecutionsPerHour(5).blastRadiusLimit(10)
                        .dryRunFirst(true).build())
                .step(ActionStep.builder("Get current memory limit", "kubectl_get").param("resource", "pod")
                        .param("name", "{{ incident.resource.name }}").param("namespace", "{{ incident.resource.namespace }}")
                        .param("field", "spec.containers[0].resources.limits.memory").outputVar("current_memory").build())
                .step(ActionStep.builder("Calculate new memory limit", "calculate")
                        .param("expression", "{{ current_memory | parse_memory | multiply(2) }}").outputVar("new_memory").build())
                .step(ActionStep.builder("Update Deployment memory limit", "kubectl_patch").param("resource", "deployment")
                        .param("name", "{{ incident.resource.controller }}").param("namespace", "{{ incident.resource.namespace }}")
                        .param("patch", patch).build())
                .step(ActionStep.builder("Wait for pod to restart", "wait")
                        .param("condition", "pod/{{ incident.resource.name }} ready").param("timeout", waitTimeoutSeconds).build())
                .step(ActionStep.builder("Verify incident resolved", "kubectl_get").param("resource", "deployment")
                        .param("name", "{{ incident.resource.controller }}").param("namespace", "{{ incident.resource.namespace }}")
                        .param("field", "status.availableReplicas").param("default", 0).expect("result >= 1").build())
                .rollbackStep(ActionStep.builder("Revert memory change", "kubectl_patch").param("resource", "deployment")
                        .param("name", "{{ incident.resource.controller }}").param("patch", revert).build())
                .build();
    }

    static Runbook imagePullBackOff() {
        Map<String, Object> secret = Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name", "regcred"),
                "type", "kubernetes.io/dockerconfigjson",
                "data", Map.of(".dockerconfigjson", "{{ base64(registry_config) }}"));
        return Runbook.builder("imagepullbackoff-fix-auth-v1").name("ImagePullBackOff: fix registry auth")
                .trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").minConfidence(0.75).build())
                .safety(Safety.builder().requireApproval(true).dryRunFirst(true).build())
                .parameter(Parameter.secret("registry_config", "the registry's docker config JSON"))
                .step(ActionStep.builder("Check if secret exists", "kubectl_get").param("resource", "secret")
                        .param("name", "regcred").param("namespace", "{{ incident.resource.namespace }}").build())
                .step(ActionStep.builder("Recreate secret", "kubectl_apply").param("manifest", secret).build())
                .step(ActionStep.builder("Restart pods", "kubectl_rollout_restart")
                        .param("resource", "deployment/{{ incident.resource.controller }}").build())
                .build();
    }

    static Runbook nodeNotReady(String webhookUrl) {
        return Runbook.builder("nodenotready-cordon-drain-v1").name("NodeNotReady: cordon and drain")
                .trigger(Trigger.builder().rootCauseReason("NodeNotReady").minConfidence(0.85).resourceKind("Node").build())
                .safety(Safety.builder().requireApproval(true).dryRunFirst(true).build())
                .step(ActionStep.builder("Cordon node", "kubectl_cordon").param("node", "{{ incident.resource.name }}").build())
                .step(ActionStep.builder("Drain pods", "kubectl_drain").param("node", "{{ incident.resource.name }}")
                        .param("ignore_daemonsets", true).param("delete_emptydir_data", true).param("timeout", 60).build())
                .step(ActionStep.builder("Trigger node replacement (cloud provider)", "webhook").param("url", webhookUrl)
                        .param("method", "POST").param("body", Map.of("node_name", "{{ incident.resource.name }}",
                                "cluster", "{{ incident.cluster }}")).build())
                .build();
    }
}
