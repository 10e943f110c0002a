package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code safety.pause_after} reads the same from YAML, Markdown and the Java DSL, writes back, and is strict. */
class PauseAfterKeyTest {
    private final RunbookLoader loader = RunbookLoader.builder().validate(false).build();

    private static String yaml(String pauseAfter) {
        return """
                runbook:
                  id: pause-v1
                  trigger:
                    root_cause_reason: OOMKilled
                  safety:
                    max_executions_per_hour: 5
                    pause_after: %s
                  steps:
                    - name: tell
                      action: log
                      params:
                        message: hi
                """.formatted(pauseAfter);
    }

    private static Runbook dsl() {
        return Runbooks.runbook("pause-v1").trigger(t -> t.rootCause("OOMKilled"))
                .safety(s -> s.maxExecutionsPerHour(5).pauseAfter(3, Duration.ofHours(1)))
                .step("tell").action("log").param("message", "hi")
                .build();
    }

    @Test
    void yamlMarkdownAndJavaGiveEqualModels() {
        var fromYaml = loader.loadString(yaml("{failures: 3, within: 1h}"), "pause.yaml");
        assertThat(fromYaml.diagnostics()).isEmpty();
        Runbook rb = fromYaml.runbooksOrThrow().get(0);
        assertThat(rb.safety().pauseAfter()).contains(new Safety.PauseAfter(3, Duration.ofHours(1)));
        assertThat(rb).isEqualTo(dsl());

        var fromMarkdown = loader.loadString("""
                ---
                id: pause-v1
                trigger:
                  root_cause_reason: OOMKilled
                safety:
                  max_executions_per_hour: 5
                  pause_after:
                    failures: 3
                    within: PT1H
                ---

                ## Steps

                ### tell

                ```yaml
                action: log
                params:
                  message: hi
                ```
                """, "pause.md");
        assertThat(fromMarkdown.diagnostics()).isEmpty();
        assertThat(fromMarkdown.runbooksOrThrow().get(0)).isEqualTo(rb);
    }

    @Test
    void writtenYamlReadsBackEqual() {
        String written = RunbookYaml.write(dsl());
        assertThat(written).contains("pause_after: {failures: 3, within: 1h}");
        assertThat(loader.loadString(written, "w.yaml").runbooksOrThrow()).containsExactly(dsl());
    }

    @Test
    void badValuesAreReportedWithTheirPlace() {
        assertThat(messages(yaml("{failures: 0, within: 1h}")))
                .singleElement().asString().startsWith("7:29: ").contains("failures").contains("0");
        assertThat(messages(yaml("{failures: 3, within: 0s}")))
                .singleElement().asString().startsWith("7:40: ").contains("within");
        assertThat(messages(yaml("{failures: 3}")))
                .singleElement().asString().startsWith("7:5: ").contains("within");
        assertThat(messages(yaml("{failures: 3, within: soon, failurez: 2}")))
                .hasSize(2).anySatisfy(m -> assertThat(m).contains("failurez").contains("failures"))
                .anySatisfy(m -> assertThat(m).contains("soon"));
    }

    @Test
    void theJavaDslRefusesBadValuesNamingTheField() {
        assertThatThrownBy(() -> Runbooks.runbook("p").trigger(t -> t.rootCause("X"))
                .safety(s -> s.pauseAfter(0, Duration.ofHours(1))).step("a").action("log").build())
                .hasMessageContaining("safety.pause_after").hasMessageContaining("failures >= 1");
        assertThatThrownBy(() -> Safety.builder().pauseAfter(2, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("within");
    }

    private List<String> messages(String text) {
        return loader.loadString(text, "bad.yaml").diagnostics().stream()
                .map(d -> d.line() + ":" + d.column() + ": " + d.message()).toList();
    }
}
