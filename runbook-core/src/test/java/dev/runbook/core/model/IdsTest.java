package dev.runbook.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void runbookIdsAreAsciiLettersDigitsDashUnderscoreAndDot() {
        for (String ok : List.of("oomkilled-increase-memory-v1", "a", "9lives", "team.web_restart-v2", "x".repeat(128))) {
            assertThat(Ids.runbookIdProblem(ok)).as(ok).isEmpty();
        }
        assertThat(Ids.runbookIdProblem("evil\u001b[31m-v1")).hasValue("runbook id 'evil\\u001B[31m-v1' may hold "
                + "only ASCII letters, digits, '-', '_' and '.', and must start with a letter or digit (U+001B at "
                + "character 5); for instance oomkilled-increase-memory-v1");
        assertThat(Ids.runbookIdProblem("-dash")).get().asString().contains("('-' at character 1)");
        assertThat(Ids.runbookIdProblem("a b")).get().asString().contains("(U+0020 at character 2)");
        assertThat(Ids.runbookIdProblem("caf\u00e9")).get().asString().contains("('\u00e9' at character 4)");
        assertThat(Ids.runbookIdProblem("a\nb")).get().asString().startsWith("runbook id 'a\\nb' may hold");
        assertThat(Ids.runbookIdProblem("x".repeat(129))).get().asString()
                .endsWith(" is 129 characters long; the limit is 128");
        assertThat(Ids.runbookIdProblem(" ")).get().asString().startsWith("runbook id must not be empty");
    }

    @Test
    void stepNamesAllowWhatTheSeedsUseButNoControlOrInvisibleCharacters() {
        for (String ok : List.of("Trigger node replacement (cloud provider)", "Verify error rate under 5%",
                "Calculate new memory limit", "to-b", "Größe prüfen", "2nd try: restart/roll back")) {
            assertThat(Ids.stepNameProblem(ok)).as(ok).isEmpty();
        }
        assertThat(Ids.stepNameProblem("Restart\u0000")).hasValue("step name 'Restart\\u0000' may hold only letters, "
                + "digits, spaces and ASCII punctuation, and must start with a letter or digit (U+0000 at character 8)");
        assertThat(Ids.stepNameProblem("a\nresult: PLANNED")).get().asString().contains("(U+000A at character 2)");
        assertThat(Ids.stepNameProblem("safe\u202Eevil")).get().asString().contains("'safe\\u202Eevil'");
        assertThat(Ids.stepNameProblem("tab\there")).get().asString().contains("(U+0009 at character 4)");
        assertThat(Ids.stepNameProblem("(first)")).get().asString().contains("('(' at character 1)");
        assertThat(Ids.stepNameProblem("")).hasValue("step name must not be empty");
        assertThat(Ids.stepNameProblem("s".repeat(129))).get().asString().endsWith("the limit is 128");
    }

    @Test
    void variableNamesAreIdentifiers() {
        assertThat(Ids.variableNameProblem("output_var", "new_memory")).isEmpty();
        assertThat(Ids.variableNameProblem("parameter", "_private")).isEmpty();
        assertThat(Ids.variableNameProblem("output_var", "my-var"))
                .hasValue("output_var name 'my-var' must be an identifier (letters, digits, _)");
        assertThat(Ids.variableNameProblem("parameter", "x\u0007")).hasValue(
                "parameter name 'x\\u0007' must be an identifier (letters, digits, _)");
        assertThat(Ids.variableNameProblem("parameter", "v".repeat(129))).get().asString()
                .endsWith("is 129 characters long; the limit is 128");
    }

    @Test
    void quoteEscapesEverythingATerminalWouldActOnAndCutsLongValues() {
        assertThat(Ids.quote("a\u001b[2J\r\n\t\u0085\u009b\u200b\u2028\ud800z")).isEqualTo(
                "'a\\u001B[2J\\r\\n\\t\\u0085\\u009B\\u200B\\u2028\\uD800z'");
        assertThat(Ids.quote("x".repeat(100))).isEqualTo("'" + "x".repeat(80) + "...'");
        assertThat(Ids.quote("Größe \uD83D\uDE00")).isEqualTo("'Größe \uD83D\uDE00'");
    }
}
