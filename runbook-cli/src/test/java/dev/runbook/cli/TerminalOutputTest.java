package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.cli.internal.TerminalText;
import dev.runbook.core.model.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing read from input reaches the terminal as a control, invisible or direction-changing character. */
class TerminalOutputTest {
    static final String R = "src/test/resources/runbooks/";

    /** An incident whose text fields carry an escape sequence, BEL, a C1 CSI and a right-to-left override. */
    private static Path hostileIncident(Path dir) throws Exception {
        return Files.writeString(dir.resolve("inc.json"), """
                {"incident_id": "inc-\\u001b]0;pwned\\u0007", "symptom_reason": "HighMemory",
                 "root_cause_reason": "MemorySpike\\u001b[2J\\u009b31m\\u202e",
                 "rca_confidence": 0.92,
                 "resource": {"kind": "Container", "name": "web-1\\u001b[8m", "namespace": "shop"},
                 "attributes": {"memory_percent": 97}}
                """);
    }

    private static void assertPrintable(String text) {
        assertThat(text.codePoints().filter(cp -> cp != '\n' && Ids.unsafe(cp)).boxed().toList()).as(text).isEmpty();
    }

    @Test
    void explainEscapesIncidentValuesInTextAndJson(@TempDir Path dir) throws Exception {
        Path inc = hostileIncident(dir);
        var text = Cli.run("explain", "--incident", inc.toString(), R + "good");
        assertPrintable(text.out());
        assertPrintable(text.err());
        assertThat(text.out()).startsWith("incident inc-\\u001B]0;pwned\\u0007: root_cause_reason "
                + "'MemorySpike\\u001B[2J\\u009B31m\\u202E', symptom_reason 'HighMemory'");

        var json = Cli.run("explain", "--output", "json", "--incident", inc.toString(), R + "good");
        assertPrintable(json.out());
        assertThat(json.out()).contains("\\u009B31m\\u202E");
        assertThat(new ObjectMapper().readTree(json.out()).get("incident").get("root_cause_reason").asText())
                .isEqualTo("MemorySpike\u001b[2J\u009b31m\u202e");
    }

    @Test
    void planEscapesValuesRenderedFromTheIncident(@TempDir Path dir) throws Exception {
        Path inc = Files.writeString(dir.resolve("inc.json"), Files.readString(
                Path.of("src/test/resources/incidents/memory-spike.json")).replace("\"web-1\"", "\"web-1\\u001b[8m\""));
        var r = Cli.run("plan", "--incident", inc.toString(), R + "good");
        assertThat(r.code()).as(r.err()).isZero();
        assertPrintable(r.out());
        assertThat(r.out()).contains("Container/shop/web-1\\u001B[8m");
    }

    @Test
    void validateEscapesFileNamesAndMessages(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("evil\u001b[2J\u0007\u007f.yaml"), """
                runbook:
                  id: "x\\u009b6n"
                  steps: []
                """);
        var r = Cli.run("validate", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertPrintable(r.out());
        assertThat(r.out()).contains(dir + "/evil\\u001B[2J\\u0007\\u007F.yaml:2:7: id: runbook id 'x\\u009B6n' may "
                + "hold only");
        var json = Cli.run("validate", "--output", "json", file.toString());
        assertPrintable(json.out());
        assertThat(json.out()).contains("evil\\u001B[2J\\u0007\\u007F.yaml");
    }

    @Test
    void anAliasAmplifiedFileIsOneProblemLineNotAnOutOfMemoryError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("amp.yaml"), "runbook:\n  id: amp\n  labels:\n    big: &x \""
                + "x".repeat(500 * 1024) + "\"\n  steps:\n    - name: s\n      action: log\n      params:\n"
                + "        message: [" + String.join(",", Collections.nCopies(90_000, "*x")) + "]\n");
        var r = Cli.run("plan", "--incident", "src/test/resources/incidents/memory-spike.json", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines()).singleElement().asString().startsWith(file + ":9:40: file is refused: its text is "
                + "more than 4194304 bytes once aliases are expanded");
    }

    @Test
    void safeTextIsLeftAloneAndEveryUnsafeCharacterIsEscaped() {
        String safe = "runbook Größe-v1 (a/b.yaml): ok 😀";
        assertThat(TerminalText.escape(safe)).isSameAs(safe);
        assertThat(TerminalText.escape("a\nb\rc\td\u0000e\u001bf\u007fg\u0085h\u009bi\u200bj\u202ek\u2028l\ud800m"))
                .isEqualTo("a\\nb\\rc\\td\\u0000e\\u001Bf\\u007Fg\\u0085h\\u009Bi\\u200Bj\\u202Ek\\u2028l\\uD800m");
    }
}
