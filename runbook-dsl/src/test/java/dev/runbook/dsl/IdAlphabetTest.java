package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ids and names with control characters (written with YAML's double-quoted escapes, or raw in a Markdown heading) are
 * reported once each, at the name, with the value shown escaped, also when only the structure is checked.
 */
class IdAlphabetTest {
    private static final String YAML = """
            runbook:
              id: "evil\\e]0;x\\a-v1"
              parameters:
                - name: "p\\nq"
                  default: 1
              steps:
                - name: "Restart\\e[2J"
                  action: log
                  params: {message: hi}
                  output_var: "o\\0"
            """;

    private static final List<String> EXPECTED = List.of(
            "ids.yaml:2:7: id: runbook id 'evil\\u001B]0;x\\u0007-v1' may hold only ASCII letters, digits, '-', '_' "
                    + "and '.', and must start with a letter or digit (U+001B at character 5); for instance "
                    + "oomkilled-increase-memory-v1",
            "ids.yaml:4:13: parameters[0].name: parameter name 'p\\nq' must be an identifier (letters, digits, _)",
            "ids.yaml:7:13: steps[0].name: step name 'Restart\\u001B[2J' may hold only letters, digits, spaces and "
                    + "ASCII punctuation, and must start with a letter or digit (U+001B at character 8)",
            "ids.yaml:10:19: steps[0].output_var: output_var name 'o\\u0000' must be an identifier (letters, digits, _)");

    private static List<String> problems(RunbookLoader loader, String text, String file) {
        return loader.loadString(text, file).diagnostics().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void badIdsAndNamesAreReportedOnceAtTheirPositionsWithTheValueEscaped() {
        assertThat(problems(RunbookLoader.builder().build(), YAML, "ids.yaml")).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void theyAreReportedWhenOnlyTheStructureIsCheckedToo() {
        assertThat(problems(RunbookLoader.builder().validate(false).build(), YAML, "ids.yaml"))
                .containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void aMarkdownStepHeadingWithAnEscapeSequenceIsReportedAtTheName() {
        assertThat(problems(RunbookLoader.builder().build(), """
                ---
                id: restart-v1
                ---
                ## Steps
                ### Restart\u001b[2J
                ```yaml
                action: log
                params: {message: hi}
                ```
                """, "rb.md")).containsExactly("rb.md:5:5: steps[0].name: step name 'Restart\\u001B[2J' may hold only "
                + "letters, digits, spaces and ASCII punctuation, and must start with a letter or digit (U+001B at "
                + "character 8)");
    }

    @Test
    void theSeedsAndStarterRunbooksStillLoad() {
        var loader = RunbookLoader.builder().validate(false).build();
        assertThat(loader.load(List.of(java.nio.file.Path.of("src/test/resources/seed"),
                java.nio.file.Path.of("../examples/runbooks"))).diagnostics()).isEmpty();
    }
}
