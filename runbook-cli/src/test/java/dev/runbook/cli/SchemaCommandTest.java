package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCommandTest {
    @Test
    void printsAValidJsonSchemaDescribingTheBuiltInActions() throws Exception {
        var r = Cli.run("schema");
        assertThat(r.code()).isZero();
        JsonNode schema = new ObjectMapper().readTree(r.out());
        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(r.out()).contains("\"webhook\"", "\"wait\"", "\"log\"", "\"set\"", "\"calculate\"", "\"slack_notify\"")
                .doesNotContain("acme_scale");
    }

    @Test
    void includesTheActionsOfPlugins(@TempDir Path dir) throws Exception {
        var r = Cli.run("schema", "--plugins", PluginJar.build(dir).toString());
        assertThat(r.code()).isZero();
        new ObjectMapper().readTree(r.out());
        assertThat(r.out()).contains("\"acme_scale\"", "\"replicas\"");
    }
}
