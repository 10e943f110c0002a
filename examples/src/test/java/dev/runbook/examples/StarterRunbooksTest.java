package dev.runbook.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.runbook.cli.RunbookCli;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.model.Runbook;
import dev.runbook.docker.DockerActions;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.LoadedRunbook;
import dev.runbook.dsl.RunbookLoader;
import dev.runbook.dsl.RunbookSchema;
import dev.runbook.k8s.KubernetesActions;
import dev.runbook.neo4j.Neo4jActions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The starter runbooks in {@code examples/runbooks/}: they validate with the CLI and the loader, the YAML files
 * against the published JSON Schema, and each file loads to the same model as its Java DSL twin.
 */
class StarterRunbooksTest {
    static final Path DIR = Path.of("runbooks");

    private static final ActionRegistry ACTIONS = ActionRegistry.builder().provider(new BuiltinActions())
            .provider(new KubernetesActions()).provider(new Neo4jActions()).provider(new DockerActions()).build();

    static LoadResult load() {
        return RunbookLoader.builder().actions(ACTIONS).build().load(DIR);
    }

    static Stream<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.sorted().toList().stream();
        }
    }

    static Stream<Path> yamlFiles() throws Exception {
        return files().filter(f -> f.toString().endsWith(".yaml"));
    }

    @Test
    void theCliValidatesTheFolder() {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = RunbookCli.run(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), "validate",
                DIR.toString());
        String text = out + "" + err;
        assertThat(code).as(text).isZero();
        assertThat(text).contains("ok: 10 runbook(s) valid");
    }

    @Test
    void theLoaderFindsTenValidRunbooksWithTheFourNewOnes() {
        LoadResult loaded = load();
        assertThat(loaded.diagnostics()).isEmpty();
        assertThat(loaded.runbooks()).extracting(r -> r.runbook().id()).containsExactlyInAnyOrder(
                "oomkilled-increase-memory-v1", "imagepullbackoff-fix-auth-v1", "nodenotready-cordon-drain-v1",
                "memory-spike-v1", "cpu-overload-v1", "high-error-rate-v1",
                "crashloop-after-rollout-rollback-v1", "evicted-disk-pressure-v1", "deployment-stuck-rollout-undo-v1",
                "hpa-max-cpu-saturation-v1");
    }

    /** The Markdown files (seed 002) are checked by the loader only: the JSON Schema describes the YAML form. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("yamlFiles")
    void everyYamlFileValidatesAgainstTheJsonSchema(Path file) throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(RunbookSchema.jsonSchema(ACTIONS));
        var settings = LoadSettings.builder().setSchema(new org.snakeyaml.engine.v2.schema.JsonSchema()).build();
        JsonNode json = new ObjectMapper().valueToTree(new Load(settings).loadFromString(Files.readString(file)));
        assertThat(schema.validate(json)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachFileEqualsItsJavaDslTwin(Path file) {
        Map<String, Runbook> java = StarterRunbooks.all().stream()
                .collect(Collectors.toMap(Runbook::id, Function.identity()));
        LoadResult loaded = RunbookLoader.builder().actions(ACTIONS).build().load(file);
        assertThat(loaded.diagnostics()).isEmpty();
        Runbook fromFile = loaded.runbooks().stream().map(LoadedRunbook::runbook).findFirst().orElseThrow();
        Runbook fromJava = java.get(fromFile.id());
        assertThat(fromJava).as("Java DSL twin of " + fromFile.id()).isNotNull();
        assertThat(fromFile.trigger()).isEqualTo(fromJava.trigger());
        assertThat(fromFile.safety()).isEqualTo(fromJava.safety());
        assertThat(fromFile.parameters()).isEqualTo(fromJava.parameters());
        assertThat(fromFile.steps()).isEqualTo(fromJava.steps());
        assertThat(fromFile.rollback()).isEqualTo(fromJava.rollback());
        assertThat(fromFile.notifications()).isEqualTo(fromJava.notifications());
        assertThat(fromFile).isEqualTo(fromJava);
    }

    @Test
    void theJavaDslListHasOneTwinPerFile() throws Exception {
        assertThat(StarterRunbooks.all()).hasSize((int) files().count());
    }
}
