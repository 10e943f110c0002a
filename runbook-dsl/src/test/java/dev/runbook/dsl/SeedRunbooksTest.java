package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Runbook;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's (000) runbooks, copied as written, load into the expected model. */
class SeedRunbooksTest {
    static final Path SEED = Path.of("src/test/resources/seed/000");
    private final RunbookLoader loader = RunbookLoader.builder().build();

    @Test
    void fullSchemaRunbookLoadsCleanly() {
        var result = loader.load(SEED.resolve("oomkilled-increase-memory.yaml"));
        assertThat(result.diagnostics()).isEmpty();
        Runbook rb = result.runbooksOrThrow().get(0);
        assertThat(rb.id()).isEqualTo("oomkilled-increase-memory-v1");
        assertThat(rb.version()).isEqualTo("1.0");
        assertThat(rb.author()).isEqualTo("sre-team");
        assertThat(rb.trigger().symptomReasons()).containsExactly("CrashLoopBackOff", "BackOff", "Error");
        assertThat(rb.trigger().minConfidence()).isEqualTo(0.80);
        assertThat(rb.safety().maxExecutionsPerHour()).hasValue(5);
        assertThat(rb.safety().dryRunFirst()).isTrue();
        var steps = rb.steps().actionSteps();
        assertThat(steps).extracting(ActionStep::action)
                .containsExactly("kubectl_get", "calculate", "kubectl_patch", "wait", "check_neo4j");
        assertThat(steps.get(0).outputVar()).hasValue("current_memory");
        // the patch is a tree whose leaves are templates, parsed at load time
        assertThat(steps.get(2).params().entries().get("patch").toPlain()).isEqualTo(Map.of("spec", Map.of("template",
                Map.of("spec", Map.of("containers", List.of(Map.of("name", "{{ incident.resource.container_name }}",
                        "resources", Map.of("limits", Map.of("memory", "{{ new_memory }}")))))))));
        assertThat(steps.get(3).params().entries().get("timeout")).isEqualTo(new ParamValue.Scalar(300L));
        // params.expect of check_neo4j is lifted to the step's expect; the Cypher query stays text
        assertThat(steps.get(4).expect()).hasValue("new_failures == 0");
        assertThat(steps.get(4).params().entries()).containsOnlyKeys("query");
        assertThat(steps.get(4).params().entries().get("query").toPlain()).asString().startsWith("MATCH (e:Episodic");
        assertThat(rb.notifications().onSuccess().get(0).channel()).isEqualTo("slack");
        assertThat(rb.notifications().onFailure().get(0).params().entries().get("message").toPlain()).asString()
                .contains("{{ error_message }}");
        assertThat(rb.rollback()).hasSize(1);
    }

    /**
     * The short example uses current_memory, which no step defines: it loads, and validation says exactly that,
     * where, as a warning (the host would have to supply it).
     */
    @Test
    void shortOomExampleReportsTheUndefinedVariableInsideThePatch() {
        var result = loader.load(SEED.resolve("oomkilled-example.yaml"));
        assertThat(result.runbooks()).hasSize(1);
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                SEED.resolve("oomkilled-example.yaml") + ":20:31: warning: steps[0].params.patch.spec.template.spec"
                        + ".containers[0].resources.limits.memory: unknown variable 'current_memory' (known: execution,"
                        + " incident) in '{{ current_memory * 2 }}': the host must supply it; declare it in parameters:"
                        + " or as a host parameter");
        assertThat(result.ok()).isTrue();
    }

    /** The ImagePullBackOff example reads registry_config, which only the host can supply: a warning, not an error. */
    @Test
    void imagePullExampleWarnsAboutTheHostsRegistryConfig() {
        var result = loader.load(SEED.resolve("imagepullbackoff-fix-auth.yaml"));
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                SEED.resolve("imagepullbackoff-fix-auth.yaml") + ":28:32: warning: steps[1].params.manifest.data"
                        + "..dockerconfigjson: unknown variable 'registry_config' (known: execution, incident) in"
                        + " '{{ base64(registry_config) }}': the host must supply it; declare it in parameters: or as a"
                        + " host parameter");
        assertThat(result.warnings()).hasSize(1);
        assertThat(result.runbooksOrThrow()).hasSize(1);
        var manifest = result.runbooks().get(0).runbook().steps().actionSteps().get(1).params().entries().get("manifest");
        assertThat(manifest).isInstanceOf(ParamValue.MapValue.class);
        assertThat(((ParamValue.MapValue) manifest).entries()).containsKeys("apiVersion", "kind", "metadata", "type", "data");
    }

    /** Declared as a host parameter, registry_config is simply accepted. */
    @Test
    void imagePullExampleLoadsCleanlyWhenTheHostDeclaresRegistryConfig() {
        var result = RunbookLoader.builder().hostParameters("registry_config").build()
                .load(SEED.resolve("imagepullbackoff-fix-auth.yaml"));
        assertThat(result.diagnostics()).isEmpty();
    }

    /**
     * The seed's four runbooks, copied verbatim, load without an error, each on its own (two share an id); only the
     * short example's undefined current_memory is reported, as a warning.
     */
    @Test
    void theSeedsFourRunbooksLoadWithoutAnError() {
        var hostLoader = RunbookLoader.builder().hostParameters("registry_config").build();
        var warnings = new java.util.ArrayList<String>();
        for (String f : List.of("oomkilled-increase-memory.yaml", "oomkilled-example.yaml", "imagepullbackoff-fix-auth.yaml",
                "nodenotready-cordon-drain.yaml")) {
            var result = hostLoader.load(SEED.resolve(f));
            assertThat(result.errors()).as(f).isEmpty();
            assertThat(result.runbooksOrThrow()).as(f).hasSize(1);
            result.warnings().forEach(w -> warnings.add(f + ":" + w.line() + ": " + w.message()));
        }
        assertThat(warnings).singleElement().asString().startsWith("oomkilled-example.yaml:20: ")
                .contains("unknown variable 'current_memory'");
    }

    @Test
    void aHostParameterNameThatCannotBeAVariableIsRefusedWhereItIsGiven() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunbookLoader.builder().hostParameters("incident"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'incident' is a built-in variable");
    }

    @Test
    void nodeNotReadyLoadsWithTheJsonBodyAsATree() {
        var result = loader.load(SEED.resolve("nodenotready-cordon-drain.yaml"));
        assertThat(result.diagnostics()).isEmpty();
        var webhook = result.runbooksOrThrow().get(0).steps().actionSteps().get(2);
        assertThat(webhook.params().entries().get("body").toPlain()).isEqualTo(
                Map.of("node_name", "{{ incident.resource.name }}", "cluster", "{{ incident.cluster }}"));
        assertThat(result.runbooks().get(0).runbook().steps().actionSteps().get(1).params().entries()
                .get("ignore_daemonsets")).isEqualTo(new ParamValue.Scalar(true));
    }

    @Test
    void yesAndOnStayText() {
        var result = loader.loadString("""
                runbook:
                  id: words-v1
                  labels: {approve: yes, mode: on}
                  steps:
                    - name: log
                      action: log
                      params: {message: no}
                """, "words.yaml");
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.runbooks().get(0).runbook().labels()).containsEntry("approve", "yes").containsEntry("mode", "on");
    }
}
