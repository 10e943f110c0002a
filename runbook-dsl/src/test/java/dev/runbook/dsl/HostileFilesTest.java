package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile files are refused quickly with one clear message. */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class HostileFilesTest {
    private final RunbookLoader loader = RunbookLoader.builder().build();

    @Test
    void oversizedFileIsRefusedBeforeParsing(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("big.yaml");
        Files.writeString(f, "runbook:\n  id: \"" + "x".repeat(4 * 1024 * 1024) + "\"\n");
        var result = loader.load(f);
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(f + ":1:1: file refused: it is "
                + Files.size(f) + " bytes, more than the limit of 1048576 bytes; split it or raise RunbookLoader.builder().maxFileSize(...)");
    }

    @Test
    void aliasBombIsRefused() {
        var sb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 30; i++) {
            sb.append("a").append(i).append(": &a").append(i).append(" [*a").append(i == 1 ? "" : i - 1)
                    .append(", *a").append(i == 1 ? "" : i - 1).append("]\n");
        }
        var result = loader.loadString("runbook:\n  id: bomb\n  labels:\n" + sb.toString().indent(4), "bomb.yaml");
        assertThat(result.diagnostics()).hasSize(1);
        assertThat(result.diagnostics().get(0).toString()).startsWith("bomb.yaml:1:1: file is refused: ")
                .contains("aliases");
        assertThat(result.runbooks()).isEmpty();
    }

    @Test
    void recursiveAliasIsRefused() {
        var result = loader.loadString("runbook:\n  id: rec\n  labels: &a [*a]\n  steps: []\n", "rec.yaml");
        assertThat(result.diagnostics()).extracting(Diagnostic::toString)
                .containsExactly("rec.yaml:3:11: document refused: recursive alias (an anchor used inside itself)");
    }

    @Test
    void deepNestingIsRefused() {
        var result = loader.loadString("runbook: " + "[".repeat(200_000), "deep.yaml");
        assertThat(result.diagnostics()).hasSize(1);
        assertThat(result.diagnostics().get(0).message()).contains("refused");
    }

    @Test
    void javaTagIsReportedNotConstructed() {
        var result = loader.loadString("runbook:\n  id: t\n  name: !!java.lang.ProcessBuilder [rm]\n  steps: []\n", "tag.yaml");
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly("tag.yaml:3:9: tag "
                + "'!!java.lang.ProcessBuilder' is not allowed in runbooks; remove it (only plain YAML values: text, "
                + "numbers, true/false, null, lists and maps)");
    }
}
