package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.model.Runbook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link RunbookYaml#write}: the seed's runbooks and the starter forms come back equal, readably written. */
class RunbookYamlTest {
    private final RunbookLoader loader = RunbookLoader.builder().validate(false).build();

    static Stream<Path> seeds() throws Exception {
        return Stream.concat(Files.list(Path.of("src/test/resources/seed/000")),
                Files.list(Path.of("src/test/resources/seed/002"))).sorted();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everySeedRunbookIsWrittenSoThatItLoadsBackEqual(Path file) {
        Runbook rb = loader.load(file).runbooks().get(0).runbook();
        String yaml = RunbookYaml.write(rb);
        LoadResult back = loader.loadString(yaml, "back.yaml");
        assertThat(back.diagnostics()).as(yaml).isEmpty();
        assertThat(back.runbooks().get(0).runbook()).isEqualTo(rb);
    }

    @Test
    void keysComeInSchemaOrderDefaultsAreLeftOutAndTemplatesStayVerbatim() {
        Runbook rb = Runbooks.runbook("r-1").version("1.0")
                .step("Get: the \"memory\"").action("kubectl_get").param("name", "{{ incident.resource.name }}")
                    .param("note", "yes").param("none", "~").param("multi", "MATCH (n)\nRETURN n\n")
                    .retry(3).onFailure(dev.runbook.core.model.OnFailure.ROLLBACK)
                .step("Wait").action("wait").param("duration", 5).timeout(Duration.ofMillis(1500))
                    .retry(2, Duration.ofSeconds(5))
                .build();
        assertThat(RunbookYaml.write(rb)).isEqualTo("""
                runbook:
                  id: r-1
                  version: "1.0"
                  steps:
                    - name: "Get: the \\"memory\\""
                      action: kubectl_get
                      params:
                        name: "{{ incident.resource.name }}"
                        note: "yes"
                        none: "~"
                        multi: |
                          MATCH (n)
                          RETURN n
                      retry: 3
                    - name: Wait
                      action: wait
                      params:
                        duration: 5
                      retry: {attempts: 2, backoff: 5s}
                      timeout: 1500ms
                """);
        assertThat(loader.loadString(RunbookYaml.write(rb), "r.yaml").runbooksOrThrow()).containsExactly(rb);
    }

    @Test
    void yamlsInfinityAndNanAreReadAsNumbersAndWrittenBack() {
        var rb = Runbooks.runbook("r").step("a").action("x").param("nan", Double.NaN)
                .param("inf", Double.POSITIVE_INFINITY).param("minus", Double.NEGATIVE_INFINITY).build();
        String yaml = RunbookYaml.write(rb);
        assertThat(yaml).contains("nan: .nan", "inf: .inf", "minus: -.inf");
        assertThat(loader.loadString(yaml, "r.yaml").runbooksOrThrow()).containsExactly(rb);
        // where a range applies they are out of it: a diagnostic, not a NumberFormatException
        var r = loader.loadString("runbook:\n  id: r\n  trigger: {min_confidence: .nan}\n  steps: [{name: a, action: x}]\n",
                "r.yaml");
        assertThat(r.diagnostics()).extracting(Diagnostic::message)
                .containsExactly("trigger.min_confidence: .nan is out of range; it must be between 0 and 1");
    }

    @Test
    void whatAFileCannotSayIsRefusedNamingWhere() {
        var twoSlacks = Runbooks.runbook("r").step("a").action("x").notifyOnSuccess().slack("#a", "one")
                .notifyOnSuccess().slack("#b", "two").build();
        assertThatThrownBy(() -> RunbookYaml.write(twoSlacks)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("notification.on_success: two 'slack' notifications");
        var patchText = Runbooks.runbook("r").step("a").action("x").param("patch", "spec: {replicas: 2}").build();
        assertThatThrownBy(() -> RunbookYaml.write(patchText))
                .hasMessageStartingWith("steps[0].params.patch: this text would be read back as a YAML document");
        var plainPatch = Runbooks.runbook("r").step("a").action("x").param("patch", "just text").build();
        assertThat(loader.loadString(RunbookYaml.write(plainPatch), "r.yaml").runbooks().get(0).runbook())
                .isEqualTo(plainPatch);
    }
}
