package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile files are refused quickly with one clear message. */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class HostileFilesTest {
    private final RunbookLoader loader = RunbookLoader.builder().build();

    @Test
    void anEmojiAtEveryOffsetAroundSnakeyamlsReadWindowIsRead() {
        // snakeyaml-engine 2.10 throws IndexOutOfBoundsException when a surrogate pair straddles its 1024-char window
        for (int pad = 1000; pad < 1050; pad++) {
            String head = "runbook:\n  id: r\n  description: \"";
            String text = head + "a".repeat(pad - head.length()) + "\uD83D\uDE00\"\n  steps: [{name: a, action: log, "
                    + "params: {message: hi}}]\n";
            var result = loader.loadString(text, "emoji.yaml");
            assertThat(result.diagnostics()).as("offset " + pad).isEmpty();
            assertThat(result.runbooks().get(0).runbook().description()).endsWith("\uD83D\uDE00");
        }
    }

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
        assertThat(result.diagnostics().get(0).toString()).startsWith("bomb.yaml:15:16: file is refused: ")
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
    void textInAParamOfAnyTypeThatLooksLikeAHostileDocumentStaysText() {
        // set's value may be a document or text: brackets nested past the depth limit are text, not a refused file
        String deep = "[".repeat(70) + "]".repeat(70);
        String file = "runbook:\n  id: deep-text\n  steps:\n    - name: keep\n      action: set\n"
                + "      params:\n        value: |\n          " + deep + "\n      output_var: v\n"
                + "    - name: then\n      action: log\n      params: {message: \"{{ v }}\"}\n";
        var clean = loader.loadString(file, "deep-text.yaml");
        assertThat(clean.diagnostics()).isEmpty();
        assertThat(clean.runbooks().get(0).runbook().steps().steps().get(0)).asString().contains(deep);

        var result = loader.loadString(file + "      retrys: 3\n", "deep-text.yaml");
        // the file's other problems are still reported, and only they
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).singleElement().asString()
                .startsWith("deep-text.yaml:13:7: ").contains("retrys");
    }

    @Test
    void javaTagIsReportedNotConstructed() {
        var result = loader.loadString("runbook:\n  id: t\n  name: !!java.lang.ProcessBuilder [rm]\n  steps: []\n", "tag.yaml");
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly("tag.yaml:3:9: tag "
                + "'!!java.lang.ProcessBuilder' is not allowed in runbooks; remove it (only plain YAML values: text, "
                + "numbers, true/false, null, lists and maps)");
    }

    /** One 500 KB scalar aliased 90,000 times: under the value budget, but 45 GB of text once expanded. */
    static String amplified(int scalarBytes, int aliases) {
        return "runbook:\n  id: amp\n  labels:\n    big: &x \"" + "x".repeat(scalarBytes) + "\"\n  steps:\n"
                + "    - name: s\n      action: log\n      params:\n        message: ["
                + String.join(",", java.util.Collections.nCopies(aliases, "*x")) + "]\n";
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // the cold warm-up below; the refusal itself must take < 1 s
    void aliasAmplificationIsRefusedFastAtTheAliasThatCrossedTheBound() {
        String text = amplified(500 * 1024, 90_000);
        assertThat(text.length()).isLessThan(800 * 1024);
        // Until the JIT has compiled snakeyaml's scanner, any 500 KB scalar takes seconds to scan, aliased or not,
        // longer when other builds share the CPU. The best of a few loads (the thread's CPU time) measures the
        // refusal, not the warm-up: 50-80 ms once warm here. Without the bound, one load ran out of memory building
        // a 2 GB message in validation.
        var threads = ManagementFactory.getThreadMXBean();
        Duration took = Duration.ofDays(1);
        LoadResult result = null;
        for (int i = 0; i < 10 && took.compareTo(Duration.ofMillis(500)) > 0; i++) {
            long start = threads.getCurrentThreadCpuTime();
            result = loader.loadString(text, "amp.yaml");
            Duration run = Duration.ofNanos(threads.getCurrentThreadCpuTime() - start);
            took = run.compareTo(took) < 0 ? run : took;
        }
        // Every scalar counts (keys too: 53 bytes here), the anchored one once, then 512,000 bytes per alias:
        // the 8th alias crosses 4 MiB.
        int column = "        message: [".length() + 7 * "*x,".length() + 1;
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly("amp.yaml:9:" + column
                + ": file is refused: its text is more than 4194304 bytes once aliases are expanded (this alias "
                + "brings it to 4608053); runbooks repeat little text: write the values out, or raise "
                + "RunbookLoader.builder().maxExpandedSize(...)");
        assertThat(result.runbooks()).isEmpty();
        assertThat(took).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void theExpandedSizeBoundIsConfigurable() {
        String text = "runbook:\n  id: amp\n  labels:\n    big: &x \"" + "x".repeat(1000) + "\"\n  trigger:\n"
                + "    namespaces: [" + String.join(",", java.util.Collections.nCopies(10, "*x")) + "]\n  steps:\n"
                + "    - name: s\n      action: log\n      params:\n        message: hi\n";
        assertThat(loader.loadString(text, "amp.yaml").diagnostics()).isEmpty();
        var strict = RunbookLoader.builder().maxExpandedSize(5000).build().loadString(text, "amp.yaml");
        // 38 bytes of keys and values and 1000 at the anchor, then 1000 per alias: the 4th alias crosses 5000.
        assertThat(strict.diagnostics()).extracting(Diagnostic::toString).singleElement().asString()
                .startsWith("amp.yaml:6:" + ("    namespaces: [".length() + 3 * "*x,".length() + 1)
                        + ": file is refused: its text is more than 5000 bytes once aliases are expanded (this alias "
                        + "brings it to 5038)");
        assertThatThrownBy(() -> RunbookLoader.builder().maxExpandedSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxExpandedSize");
    }

    @Test
    void theBoundCoversAWholeMarkdownFileNotEachBlock() {
        var md = new StringBuilder("---\nid: amp\n---\n## Steps\n");
        for (int i = 0; i < 6; i++) {
            md.append("### Step ").append(i).append("\n```yaml\naction: log\nparams:\n  message: &m \"")
                    .append("y".repeat(1000)).append("\"\n  extra: [").append(String.join(",",
                            java.util.Collections.nCopies(999, "*m"))).append("]\n```\n");
        }
        // Each block expands to 1 MB, under the bound; the file's six blocks together do not fit 4 MiB.
        var result = loader.loadString(md.toString(), "amp.md");
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).singleElement().asString()
                .startsWith("amp.md:").contains("the yaml block of step 'Step 4' is refused: its text is more than "
                        + "4194304 bytes once aliases are expanded");
        assertThat(result.runbooks()).isEmpty();
    }

    @Test
    void controlCharactersAreReportedWhereTheyAre() {
        var result = loader.loadString("runbook:\n  id: ok\n  name: ab\u0007c\n  description: x\u0000\n  steps: []\n",
                "ctl.yaml");
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "ctl.yaml:3:11: file is not valid YAML: control character U+0007 (BEL) is not allowed; remove it "
                        + "(runbook text is printable characters, tabs and line breaks)",
                "ctl.yaml:4:17: file is not valid YAML: control character U+0000 (NUL) is not allowed; remove it "
                        + "(runbook text is printable characters, tabs and line breaks)");
    }

    @Test
    void controlCharactersAfterWideCharactersAndInMarkdownBlocksKeepTheirColumn() {
        var yaml = loader.loadString("runbook:\n  id: ok\n  name: \"\uD83D\uDE00 x\u0000\"\n", "wide.yaml");
        assertThat(yaml.diagnostics()).extracting(Diagnostic::toString).singleElement().asString()
                .startsWith("wide.yaml:3:13: file is not valid YAML: control character U+0000 (NUL)");
        var md = loader.loadString("---\nid: ok\n---\n## Steps\n### Log\n\n```yaml\naction: log\nparams:\n"
                + "  message: \"hi\u001b[2J\"\n```\n", "ctl.md");
        assertThat(md.diagnostics()).extracting(Diagnostic::toString).singleElement().asString()
                .startsWith("ctl.md:10:15: the yaml block of step 'Log' is not valid YAML: control character U+001B (ESC)");
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWhereTheyAre(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.yaml");
        byte[] head = "runbook:\n  id: \u00e9t\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0x9B; // a C1 CSI written as one Latin-1 byte
        bytes[head.length + 1] = '\n';
        Files.write(f, bytes);
        assertThat(loader.load(f).diagnostics()).extracting(Diagnostic::toString)
                .containsExactly(f + ":2:10: the file is not UTF-8 text (byte 0x9B here); save it as UTF-8");
    }

    @Test
    void aBinaryFileGetsTenControlCharacterLinesAndOneSummaryWhereTheRestStarts() {
        var result = loader.loadString("runbook:\n  id: " + "\u0001".repeat(13) + "\n", "bin.yaml");
        assertThat(result.diagnostics()).hasSize(11);
        assertThat(result.diagnostics().get(9).toString()).startsWith("bin.yaml:2:16: file is not valid YAML: control "
                + "character U+0001 (SOH)");
        assertThat(result.diagnostics().get(10).toString())
                .isEqualTo("bin.yaml:2:17: file is not valid YAML: 3 more control characters from here on; is it a text file?");
    }
}
