package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Runbook;
import org.junit.jupiter.api.Test;

/** {@code on_failure: escalate} means one thing in YAML, Markdown, the fluent DSL and {@link RunbookYaml#write}. */
class EscalateOnFailureTest {
    private final RunbookLoader loader = RunbookLoader.builder().validate(false).build();

    private static final String YAML = """
            runbook:
              id: raise-memory
              trigger: {root_cause_reason: OOMKilled}
              steps:
                - name: Raise memory
                  action: k8s_set_resources
                  on_failure: escalate
              rollback:
                - name: Revert
                  action: k8s_rollback
            """;

    private static final String MARKDOWN = """
            ---
            id: raise-memory
            name: raise-memory
            trigger: {root_cause_reason: OOMKilled}
            ---

            # Raise memory, else hand over

            ## Steps

            ### Raise memory

            ```yaml
            action: k8s_set_resources
            on_failure: escalate
            ```

            ## Rollback

            ### Revert

            ```yaml
            action: k8s_rollback
            ```
            """;

    private static Runbook fluent() {
        return Runbooks.runbook("raise-memory").trigger(t -> t.rootCause("OOMKilled"))
                .step("Raise memory").action("k8s_set_resources").onFailure(OnFailure.ESCALATE)
                .rollback("Revert").action("k8s_rollback")
                .build();
    }

    @Test
    void yamlMarkdownAndTheFluentDslGiveTheSameModelAndWriteRoundTrips() {
        Runbook fromYaml = loader.loadString(YAML, "r.yaml").runbooksOrThrow().get(0);
        assertThat(fromYaml.steps().actionSteps().get(0).onFailure()).isEqualTo(OnFailure.ESCALATE);
        assertThat(loader.loadString(MARKDOWN, "r.md").runbooksOrThrow()).containsExactly(fromYaml);
        assertThat(fluent()).isEqualTo(fromYaml);

        String written = RunbookYaml.write(fromYaml);
        assertThat(written).contains("on_failure: escalate");
        assertThat(loader.loadString(written, "back.yaml").runbooksOrThrow()).containsExactly(fromYaml);
    }

    @Test
    void aMisspelledPolicyNamesTheChoicesIncludingEscalate() {
        var r = loader.loadString(YAML.replace("on_failure: escalate", "on_failure: escalte"), "r.yaml");
        assertThat(r.diagnostics()).hasSize(1);
        assertThat(r.diagnostics().get(0).toString()).startsWith("r.yaml:7:").contains("escalate");
        assertThat(RunbookSchema.jsonSchema()).contains("\"enum\": [\"rollback\", \"continue\", \"fail\", \"escalate\"]");
    }
}
