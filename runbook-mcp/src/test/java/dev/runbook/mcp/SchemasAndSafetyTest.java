package dev.runbook.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.model.Safety;
import dev.runbook.docker.DockerSafety;
import dev.runbook.mcp.internal.ActionTarget;
import dev.runbook.mcp.internal.IncidentInput;
import dev.runbook.mcp.internal.Plain;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Input schemas from the actions' parameter schemas, the approval copy of a safety, incident arguments. */
class SchemasAndSafetyTest {

    @Test
    void paramTypesBecomeJsonSchemaTypes() {
        var schema = Plain.inputSchema(ParamSchema.of(ParamSpec.required("name", ParamType.STRING, "the name"),
                ParamSpec.withDefault("tail", ParamType.INTEGER, 100, "lines"),
                ParamSpec.optional("ratio", ParamType.NUMBER, "r"), ParamSpec.optional("on", ParamType.BOOLEAN, "b"),
                ParamSpec.optional("wait", ParamType.DURATION, "w"), ParamSpec.optional("env", ParamType.MAP, "m"),
                ParamSpec.optional("items", ParamType.LIST, "l"), ParamSpec.optional("x", ParamType.ANY, "a")));
        assertThat(schema).containsEntry("type", "object").containsEntry("required", List.of("name"))
                .containsEntry("additionalProperties", false);
        @SuppressWarnings("unchecked")
        var props = (Map<String, Map<String, Object>>) schema.get("properties");
        assertThat(props.get("name")).containsEntry("type", "string").containsEntry("description", "the name");
        assertThat(props.get("tail")).containsEntry("type", "integer").containsEntry("default", 100);
        assertThat(props.get("ratio")).containsEntry("type", "number");
        assertThat(props.get("on")).containsEntry("type", "boolean");
        assertThat(props.get("wait")).containsEntry("type", "string").containsKey("pattern");
        assertThat((String) props.get("wait").get("description")).contains("30s");
        assertThat(props.get("env")).containsEntry("type", "object");
        assertThat(props.get("items")).containsEntry("type", "array");
        assertThat(props.get("x")).doesNotContainKey("type");
    }

    @Test
    void requiringApprovalKeepsEveryOtherLimit() {
        Safety s = DockerSafety.builder().dryRunFirst(true).blastRadiusLimit(2).cooldown(Duration.ofMinutes(3))
                .maxExecutionsPerHour(4).maxExecutionsPerResourcePerHour(2).minConfidence(0.7)
                .allowedNamespaces(List.of("shop")).envWhitelist(List.of("LOG_LEVEL")).build();
        Safety copy = RunbookMcpServer.requiringApproval(s);
        assertThat(copy.requireApproval()).isTrue();
        assertThat(new Safety(false, copy.maxExecutionsPerHour(), copy.blastRadiusLimit(), copy.dryRunFirst(),
                copy.minConfidence(), copy.cooldown(), copy.minActionSpacing(), copy.maxExecutionsPerResourcePerHour(),
                copy.maxActionsPerHour(), copy.maxActionPerResourcePerHour(), copy.allowedNamespaces(), copy.replicas(),
                copy.envWhitelist(), copy.resumeOnRecovery())).isEqualTo(s);
    }

    @Test
    void incidentArgumentsAreCheckedFieldByField() {
        var ok = IncidentInput.parse(Map.of("incident_id", "i-1", "root_cause_reason", "MEMORY_SPIKE", "rca_confidence", 0.9,
                "resource", Map.of("kind", "Container", "name", "web", "namespace", "", "controller", "web"),
                "attributes", Map.of("memory_percent", 91.5)));
        assertThat(ok.resource().key()).isEqualTo("Container/web");
        assertThat(ok.resource().controller()).hasValue("web");
        assertThat(ok.attributes()).containsEntry("memory_percent", 91.5);
        assertThatThrownBy(() -> IncidentInput.parse(Map.of("root_cause_reason", "X", "rca_confidence", 3,
                "resource", Map.of("kind", "Container", "name", "w"))))
                .hasMessageContaining("incident field 'rca_confidence': must be a number between 0 and 1, got 3");
        assertThatThrownBy(() -> IncidentInput.parse(Map.of("root_cause_reason", "X", "resource", Map.of("kind", "Container"))))
                .hasMessageContaining("incident field 'resource': missing field 'resource.name'");
        assertThatThrownBy(() -> IncidentInput.parse("web")).hasMessageContaining("'incident' must be an object");
    }

    @Test
    void anActionCallsResourceIsKeyedAsTheKubernetesActionsReadIt() {
        assertThat(ActionTarget.of("kubectl_scale", Map.of("resource", "deploy/web", "namespace", "shop")).key())
                .isEqualTo("Deployment/shop/web");
        assertThat(ActionTarget.of("k8s_set_resources", Map.of("name", "web")).key()).isEqualTo("Deployment/default/web");
        assertThat(ActionTarget.of("kubectl_get", Map.of("kind", "pods", "name", "web-1", "namespace", "shop")).key())
                .isEqualTo("Pod/shop/web-1");
        assertThat(ActionTarget.of("kubectl_delete_pod", Map.of("name", "web-1")).key()).isEqualTo("Pod/default/web-1");
        assertThat(ActionTarget.of("kubectl_drain", Map.of("node", "n1")).key()).isEqualTo("Node/n1");
        assertThat(ActionTarget.of("kubectl_get", Map.of("resource", "node/n1", "namespace", "shop")).key()).isEqualTo("Node/n1");
        assertThat(ActionTarget.of("kubectl_apply", Map.of("manifest", Map.of("kind", "ConfigMap",
                "metadata", Map.of("name", "cfg", "namespace", "shop")))).key()).isEqualTo("ConfigMap/shop/cfg");
        assertThat(ActionTarget.of("check_neo4j", Map.of("query", "RETURN 1")).key()).isEqualTo("Neo4jDatabase/default");
        // no name: the action's own dry run or read reports what is missing; calls of one tool share a key
        assertThat(ActionTarget.of("kubectl_scale", Map.of("replicas", 2)).key()).isEqualTo("Tool/kubectl_scale");
    }

    @Test
    void connectionFlagsBecomeTheProvidersSystemProperties() {
        var main = new RunbookMcpMain(new java.io.PrintWriter(java.io.Writer.nullWriter()));
        new CommandLine(main).parseArgs("--kube-context", "kind-dev", "--neo4j-uri", "bolt://127.0.0.1:7687",
                "--neo4j-user", "neo4j", "--neo4j-password", "secret");
        assertThat(main.connectionProperties()).isEqualTo(Map.of("runbook.k8s.context", "kind-dev",
                "runbook.neo4j.uri", "bolt://127.0.0.1:7687", "runbook.neo4j.user", "neo4j",
                "runbook.neo4j.password", "secret"));
        var none = new RunbookMcpMain(new java.io.PrintWriter(java.io.Writer.nullWriter()));
        new CommandLine(none).parseArgs();
        assertThat(none.connectionProperties()).isEmpty();
    }
}
