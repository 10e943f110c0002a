package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** Runs the shaded {@code target/runbook.jar} as users do: {@code java -jar runbook.jar ...} (failsafe, verify). */
class RunbookJarIT {
    static final String R = "src/test/resources/runbooks/";
    static final Path JAR = Path.of(System.getProperty("runbook.jar", "target/runbook.jar"));

    record Run(int code, String out, String err) {
    }

    static Run java(String... args) throws Exception {
        var cmd = new ArrayList<String>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd);
        // No target from the machine running the build.
        List.of("DOCKER_HOST", "KUBECONFIG", "RUNBOOK_K8S_CONTEXT", "RUNBOOK_NEO4J_URI").forEach(pb.environment()::remove);
        Process p = pb.start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theJarIsExecutableAndMergesEveryServiceFile() throws IOException {
        assertThat(JAR).isRegularFile();
        try (var jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.runbook.cli.RunbookCli");
            String services = new String(jar.getInputStream(jar.getEntry(
                    "META-INF/services/dev.runbook.core.action.ActionProvider")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(services.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")))
                    .containsExactlyInAnyOrder("dev.runbook.core.action.builtin.BuiltinActions",
                            "dev.runbook.k8s.KubernetesActions", "dev.runbook.neo4j.Neo4jActions",
                            "dev.runbook.docker.DockerActions");
            String waits = new String(jar.getInputStream(jar.getEntry(
                    "META-INF/services/dev.runbook.core.action.WaitConditionProvider")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(waits).contains("dev.runbook.k8s.KubernetesWaitConditions");
        }
    }

    @Test
    void theJarValidatesTheSeedRunbooksAndMarkdownWithEveryIntegrationsActions() throws Exception {
        var seed = java("validate", R + "seed");
        assertThat(seed.code()).as(seed.out() + seed.err()).isZero();
        assertThat(seed.out()).isEqualTo("ok: 3 runbook(s) valid\n");

        var md = java("validate", R + "markdown/oomkilled-increase-memory.md");
        assertThat(md.code()).as(md.out() + md.err()).isZero();
        assertThat(md.out()).isEqualTo("ok: 1 runbook(s) valid\n");

        var schema = java("schema");
        assertThat(schema.out()).contains("\"kubectl_patch\"", "\"check_neo4j\"", "\"restart-container\"");
    }

    @Test
    void validateGoodAndBad() throws Exception {
        var good = java("validate", R + "good");
        assertThat(good.code()).as(good.err()).isZero();
        assertThat(good.out()).isEqualTo("ok: 2 runbook(s) valid\n");
        assertThat(good.err()).isEmpty();

        var bad = java("validate", R + "bad/typos.yaml");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out().split("\n")).containsExactly(
                R + "bad/typos.yaml:5:21: trigger.min_confidence: 1.5 is out of range; it must be between 0 and 1",
                R + "bad/typos.yaml:8:15: steps[0].action: unknown action 'lgo' (did you mean 'log'?)",
                R + "bad/typos.yaml:15:16: steps[1].params.metod: unknown parameter 'metod' (did you mean 'method'?)"
                        + " (accepted: url, method, headers, body, timeout, expect_status)");
    }

    @Test
    void schemaIsJson() throws Exception {
        var r = java("schema");
        assertThat(r.code()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).get("title").asText()).isEqualTo("Runbook");
    }

    @Test
    void planWithoutTargetCallsNothing() throws Exception {
        var r = java("plan", "--incident", "src/test/resources/incidents/memory-spike.json", R + "good");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("  3. Ask the deployer to restart [webhook, mutating] would call webhook\n",
                "result: PLANNED (nothing was changed)\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void unknownFlagIsOneLineAndExitTwo() throws Exception {
        var r = java("validate", "--bogus", R + "good");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("runbook: Unknown option: '--bogus' (see 'runbook validate --help')\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badIncidentIsOneLineAndExitTwo() throws Exception {
        Path bad = Files.createTempFile(Path.of("target"), "incident", ".json");
        Files.writeString(bad, "{\"incident_id\": \"x\", \"resource\": {\"kind\": \"Pod\"}}");
        var r = java("explain", "--incident", bad.toString(), R + "good");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("runbook explain: incident " + bad + ":1:34: field 'resource': missing field"
                + " 'resource.name'\n");
    }
}
