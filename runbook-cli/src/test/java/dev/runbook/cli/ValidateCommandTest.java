package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    static final String R = "src/test/resources/runbooks/";

    @Test
    void aGoodFileIsValid() {
        var r = Cli.run("validate", R + "good/memory-spike-webhook.yaml");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("ok: 1 runbook(s) valid\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aDirectoryIsLoadedRecursively() {
        var r = Cli.run("validate", R + "good");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("ok: 2 runbook(s) valid\n");
    }

    @Test
    void everyProblemOfEveryFileIsOneLineWithFileLineAndColumn() {
        var r = Cli.run("validate", R + "bad");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.outLines()).containsExactly(
                R + "bad/broken.yaml:7:16: steps[0].params.value: unclosed '{{' in '{{ incident.resource.name'",
                R + "bad/typos.yaml:5:21: trigger.min_confidence: 1.5 is out of range; it must be between 0 and 1",
                R + "bad/typos.yaml:8:15: steps[0].action: unknown action 'lgo' (did you mean 'log'?)",
                R + "bad/typos.yaml:15:16: steps[1].params.metod: unknown parameter 'metod' (did you mean 'method'?)"
                        + " (accepted: url, method, headers, body, timeout, expect_status)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void goodAndBadPathsTogetherReportOnlyTheProblems() {
        var r = Cli.run("validate", R + "good", R + "bad/broken.yaml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.outLines()).hasSize(1).allMatch(l -> l.startsWith(R + "bad/broken.yaml:7:16: "));
    }

    /** Issue 17: a value only the host can supply is a warning; the file is valid. */
    @Test
    void aHostParameterIsAWarningAndTheFileIsValid(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("creds.yaml");
        Files.writeString(file, String.join("\n", "runbook:", "  id: creds-v1", "  steps:", "    - name: Apply",
                "      action: log", "      params:", "        message: \"{{ base64(registry_config) }}\"", ""));
        var r = Cli.run("validate", file.toString());
        assertThat(r.code()).isZero();
        assertThat(r.outLines()).containsExactly(file + ":7:18: warning: steps[0].params.message: unknown variable"
                + " 'registry_config' (known: execution, incident) in '{{ base64(registry_config) }}': the host must"
                + " supply it; declare it in parameters: or as a host parameter", "ok: 1 runbook(s) valid");
        JsonNode json = new ObjectMapper().readTree(Cli.run("validate", "--output", "json", file.toString()).out());
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("problems").get(0).get("severity").asText()).isEqualTo("warning");
    }

    @Test
    void aMissingFileIsAProblemNamingIt() {
        var r = Cli.run("validate", R + "nope.yaml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(R + "nope.yaml:1:1: no such file\n");
    }

    @Test
    void anActionOfAPluginIsUnknownWithoutThePluginAndKnownWithIt(@TempDir Path dir) throws Exception {
        var without = Cli.run("validate", R + "plugin/acme-scale.yaml");
        assertThat(without.code()).isEqualTo(1);
        assertThat(without.out()).startsWith(R + "plugin/acme-scale.yaml:11:15: steps[0].action: unknown action 'acme_scale'");

        var with = Cli.run("validate", "--plugins", PluginJar.build(dir).toString(), R + "plugin/acme-scale.yaml");
        assertThat(with.code()).as(with.out() + with.err()).isZero();
        assertThat(with.out()).isEqualTo("ok: 1 runbook(s) valid\n");
    }

    @Test
    void jsonOutputListsRunbooksAndProblems() throws Exception {
        var bad = Cli.run("validate", "--output", "json", R + "bad/typos.yaml");
        assertThat(bad.code()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(bad.out());
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("problems")).hasSize(3);
        JsonNode first = json.get("problems").get(0);
        assertThat(first.get("file").asText()).isEqualTo(R + "bad/typos.yaml");
        assertThat(first.get("line").asInt()).isEqualTo(5);
        assertThat(first.get("column").asInt()).isEqualTo(21);
        assertThat(first.get("message").asText()).startsWith("trigger.min_confidence: 1.5 is out of range");

        var good = Cli.run("validate", "--output", "json", R + "good");
        assertThat(good.code()).isZero();
        JsonNode ok = new ObjectMapper().readTree(good.out());
        assertThat(ok.get("ok").asBoolean()).isTrue();
        assertThat(ok.get("problems")).isEmpty();
        assertThat(ok.findValuesAsText("id")).containsExactly("cpu-overload-wait-v1", "memory-spike-webhook-v1");
    }

    @Test
    void aPluginsPathThatIsNoFolderIsAnInputError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("x.jar"), "not a folder");
        var r = Cli.run("validate", "--plugins", file.toString(), R + "good");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("runbook validate: --plugins " + file + ": not a directory; give a folder of jars\n");
        assertThat(r.out()).isEmpty();
    }
}
