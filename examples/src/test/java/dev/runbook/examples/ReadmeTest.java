package dev.runbook.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.compile.RunbookCompiler;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.RunbookLoader;
import dev.runbook.dsl.RunbookSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The root README says nothing the code does not do: every snippet is compiled, loaded or checked here. */
class ReadmeTest {
    private static final Pattern FENCE = Pattern.compile("(?m)^(`{3,})(\\w*)\\n(.*?)^\\1\\s*$", Pattern.DOTALL);
    private static String readme;
    private static ActionRegistry registry;

    @BeforeAll
    static void read() throws IOException {
        readme = Files.readString(Path.of("..", "README.md"));
        registry = ActionRegistry.builder().discover(ReadmeTest.class.getClassLoader()).build();
    }

    private static List<String> blocks(String lang) {
        var out = new ArrayList<String>();
        Matcher m = FENCE.matcher(readme);
        while (m.find()) {
            if (m.group(2).equals(lang)) {
                out.add(m.group(3));
            }
        }
        return out;
    }

    private static String region(Path source) throws IOException {
        String text = Files.readString(source);
        int start = text.indexOf('\n', text.indexOf("// --- README snippet starts ---")) + 1;
        int end = text.lastIndexOf('\n', text.indexOf("// --- README snippet ends ---")) + 1;
        return text.substring(start, end);
    }

    private static String dedent(String s) {
        int min = s.lines().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return s.lines().map(l -> l.length() >= min ? l.substring(min) : l.strip()).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void theEmbeddingExampleIsTheCompiledAndTestedOne() throws IOException {
        String example = region(Path.of("src/test/java/dev/runbook/examples/EmbeddingExample.java"));
        assertThat(blocks("java")).contains(example);
    }

    @Test
    void theJavaDslSnippetCompilesAndEqualsTheMarkdownSnippet() throws IOException {
        String dsl = dedent(region(Path.of("src/test/java/dev/runbook/examples/ReadmeSnippets.java")));
        assertThat(blocks("java")).contains(dsl);
        List<String> markdown = blocks("markdown");
        assertThat(markdown).hasSize(1);
        LoadResult loaded = RunbookLoader.builder().build().loadString(markdown.get(0), "readme.md");
        assertThat(loaded.diagnostics()).isEmpty();
        assertThat(loaded.runbooks().get(0).runbook()).isEqualTo(ReadmeSnippets.memorySpike());
    }

    @Test
    void theYamlSnippetLoadsWithoutAProblem() {
        List<String> yaml = blocks("yaml");
        assertThat(yaml).isNotEmpty();
        for (String y : yaml) {
            LoadResult r = RunbookLoader.builder().build().loadString(y, "readme.yaml");
            assertThat(r.diagnostics()).as(y).isEmpty();
        }
    }

    @Test
    void theKeyReferenceMatchesTheJsonSchema() throws IOException {
        JsonNode defs = new ObjectMapper().readTree(RunbookSchema.jsonSchema(registry)).get("$defs");
        Pattern line = Pattern.compile("(?m)^- `(\\w+)`: ((?:`\\w+`(?:, )?)+)$");
        Matcher m = line.matcher(readme);
        var documented = new HashMap<String, Set<String>>();
        while (m.find()) {
            documented.put(m.group(1), Arrays.stream(m.group(2).split(", ")).map(s -> s.replace("`", ""))
                    .collect(Collectors.toCollection(LinkedHashSet::new)));
        }
        var expected = new HashMap<String, Set<String>>();
        defs.fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("params.") && e.getValue().has("properties")) {
                var keys = new LinkedHashSet<String>();
                e.getValue().get("properties").fieldNames().forEachRemaining(keys::add);
                expected.put(e.getKey(), keys);
            }
        });
        assertThat(documented).isEqualTo(expected);
    }

    @Test
    void theActionTableListsEveryActionWithExactlyItsParams() {
        Pattern row = Pattern.compile("(?m)^\\| `([\\w.-]+)` \\| [^|]+ \\| ([^|]*) \\|");
        Matcher m = row.matcher(readme.substring(readme.indexOf("## Actions"), readme.indexOf("## The safety model")));
        var documented = new HashMap<String, String>();
        while (m.find()) {
            documented.put(m.group(1), m.group(2).strip());
        }
        var expected = new HashMap<String, String>();
        for (Action a : registry.actions()) {
            expected.put(a.name(), params(a.schema()));
        }
        expected.put(RunbookCompiler.CHAIN_ACTION, params(RunbookCompiler.CHAIN_SCHEMA));
        assertThat(documented).isEqualTo(expected);
    }

    @Test
    void theGuardTableListsTheGuardEnumInOrder() {
        Pattern row = Pattern.compile("(?m)^\\| (\\d+) \\| `([a-z_]+)` \\|");
        Matcher m = row.matcher(readme.substring(readme.indexOf("## The safety model"), readme.indexOf("### When things go wrong")));
        var documented = new ArrayList<String>();
        while (m.find()) {
            documented.add(m.group(2));
        }
        assertThat(documented).containsExactlyElementsOf(
                Arrays.stream(dev.runbook.core.guard.Guard.values()).map(dev.runbook.core.guard.Guard::id).toList());
    }

    private static String params(ParamSchema schema) {
        var names = new ArrayList<String>();
        for (ParamSpec p : schema.params()) {
            names.add("`" + p.name() + (p.required() ? "*" : "") + "`");
        }
        return String.join(", ", names);
    }

    @Test
    void theMavenCoordinatesAreThisBuilds() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        String version = pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));
        for (String xml : blocks("xml")) {
            assertThat(xml).contains("<groupId>dev.runbook</groupId>").contains("<version>" + version + "</version>");
            Matcher a = Pattern.compile("<artifactId>([\\w-]+)</artifactId>").matcher(xml);
            var seen = new HashSet<String>();
            while (a.find()) {
                seen.add(a.group(1));
                assertThat(Path.of("..", a.group(1), "pom.xml")).exists();
            }
            assertThat(seen).contains("runbook-core");
        }
    }

    @Test
    void theCliCommandLinesRun() {
        var lines = new ArrayList<String>();
        for (String block : blocks("bash")) {
            block.lines().filter(l -> l.startsWith("java -jar runbook-cli/target/runbook.jar ")).forEach(lines::add);
        }
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            String[] args = Arrays.stream(line.substring("java -jar runbook-cli/target/runbook.jar ".length()).split(" "))
                    .map(a -> a.startsWith("examples/") ? "../" + a : a).toArray(String[]::new);
            var out = new java.io.StringWriter();
            var err = new java.io.StringWriter();
            int code = dev.runbook.cli.RunbookCli.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), Map.of(), args);
            assertThat(code).as(line + "\n" + out + err).isZero();
        }
    }
}
