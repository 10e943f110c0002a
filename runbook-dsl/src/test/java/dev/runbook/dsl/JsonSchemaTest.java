package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The generated JSON Schema accepts every good example and rejects every schema-level bad example. */
class JsonSchemaTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(RunbookSchema.jsonSchema());

    static JsonNode yamlToJson(Path file) throws Exception {
        var settings = LoadSettings.builder().setSchema(new org.snakeyaml.engine.v2.schema.JsonSchema()).build();
        Object plain = new Load(settings).loadFromString(Files.readString(file));
        return MAPPER.valueToTree(plain);
    }

    static Stream<Path> seeds() throws Exception {
        return Files.list(SeedRunbooksTest.SEED).sorted();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everySeedRunbookValidates(Path file) throws Exception {
        assertThat(SCHEMA.validate(yamlToJson(file))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-key.yaml", "wrong-types.yaml", "out-of-range.yaml", "missing-required.yaml"})
    void schemaLevelBadInputsAreRejected(String name) throws Exception {
        assertThat(SCHEMA.validate(yamlToJson(BadInputCorpusTest.BAD.resolve(name)))).isNotEmpty();
    }

    @Test
    void publishedResourceEqualsTheGeneratedSchemaForBuiltinActions() throws Exception {
        String generated = RunbookSchema.jsonSchema(ActionRegistry.builder().provider(new BuiltinActions()).build());
        try (InputStream in = RunbookSchema.class.getResourceAsStream("runbook.schema.json")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(generated);
        }
        MAPPER.readTree(generated);
    }
}
