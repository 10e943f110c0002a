package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.RunbookLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook export}: normalised YAML that loads back into equal runbooks. */
class ExportCommandTest {
    static final String R = "src/test/resources/runbooks/";
    private final RunbookLoader loader = RunbookLoader.builder().build();

    private Runbook load(Path file) {
        return loader.load(file).runbooksOrThrow().get(0);
    }

    @Test
    void aFileIsPrintedAsNormalisedYamlThatLoadsBackEqual(@TempDir Path dir) throws Exception {
        var r = Cli.run("export", R + "good/memory-spike-webhook.yaml");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("runbook:\n  id: memory-spike-webhook-v1\n");
        Path back = Files.writeString(dir.resolve("back.yaml"), r.out());
        assertThat(load(back)).isEqualTo(load(Path.of(R + "good/memory-spike-webhook.yaml")));
    }

    @Test
    void markdownBecomesYamlWithTheSameModel(@TempDir Path dir) throws Exception {
        Path md = Path.of(R + "markdown/oomkilled-increase-memory.md");
        Path out = dir.resolve("oom.yaml");
        var r = Cli.run("export", md.toString(), "--output-file", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("wrote " + out + " (");
        assertThat(Files.readString(out)).startsWith("runbook:\n");
        assertThat(load(out)).isEqualTo(load(md));
    }

    @Test
    void aFolderIsExportedOneFilePerRunbook(@TempDir Path dir) {
        Path target = dir.resolve("out");
        var r = Cli.run("export", R + "good", "-o", target.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<Runbook> original = loader.load(Path.of(R + "good")).runbooksOrThrow();
        List<Runbook> exported = loader.load(target).runbooksOrThrow();
        assertThat(exported).containsExactlyInAnyOrderElementsOf(original);
        assertThat(target.resolve("cpu-overload-wait-v1.yaml")).exists();
        assertThat(target.resolve("memory-spike-webhook-v1.yaml")).exists();
    }

    @Test
    void severalRunbooksOnStdoutAreOneStreamOfDocuments() {
        var r = Cli.run("export", R + "good");
        assertThat(r.code()).isZero();
        assertThat(r.out().split("(?m)^---$")).hasSize(2);
    }

    @Test
    void problemsGoToStderrAndNothingIsWritten(@TempDir Path dir) {
        Path out = dir.resolve("x.yaml");
        var r = Cli.run("export", R + "bad/typos.yaml", "--output-file", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(R + "bad/typos.yaml:5:21: trigger.min_confidence: 1.5 is out of range");
        assertThat(out).doesNotExist();
    }
}
