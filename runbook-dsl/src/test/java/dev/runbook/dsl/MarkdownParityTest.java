package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.fluent.SeedRunbooksInJava;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Markdown is a third front end of the same model: the seed runbooks in Markdown equal their Java and YAML forms. */
class MarkdownParityTest {
    static final Path SEED_002 = Path.of("src/test/resources/seed/002");
    private final RunbookLoader loader = RunbookLoader.builder().build();

    static Stream<Arguments> seed002() {
        return Stream.of(
                Arguments.of("memory-spike.md", (Supplier<Runbook>) SeedRunbooksInJava::memorySpike),
                Arguments.of("cpu-overload.md", (Supplier<Runbook>) SeedRunbooksInJava::cpuOverload),
                Arguments.of("high-error-rate.md", (Supplier<Runbook>) SeedRunbooksInJava::highErrorRate));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seed002")
    void seed002MarkdownEqualsTheJavaFixture(String file, Supplier<Runbook> java) {
        LoadResult loaded = loader.load(SEED_002.resolve(file));
        assertThat(loaded.diagnostics()).isEmpty();
        Runbook fromMarkdown = loaded.runbooksOrThrow().get(0);
        Runbook fromJava = java.get();
        assertThat(fromMarkdown.steps()).isEqualTo(fromJava.steps());
        assertThat(fromMarkdown.trigger()).isEqualTo(fromJava.trigger());
        assertThat(fromMarkdown.safety()).isEqualTo(fromJava.safety());
        assertThat(fromMarkdown).isEqualTo(fromJava);
    }

    @Test
    void theSeed002DirectoryLoadsAsOneLibrary() {
        LoadResult loaded = loader.load(SEED_002);
        assertThat(loaded.diagnostics()).isEmpty();
        assertThat(loaded.runbooksOrThrow()).extracting(Runbook::id)
                .containsExactly("cpu-overload-v1", "high-error-rate-v1", "memory-spike-v1");
    }

    @Test
    void seed000RunbookInMarkdownEqualsItsYamlAndJavaForms() {
        LoadResult md = loader.load(Path.of("src/test/resources/seed/000-md/oomkilled-increase-memory.md"));
        LoadResult yaml = loader.load(Path.of("src/test/resources/seed/000/oomkilled-increase-memory.yaml"));
        assertThat(md.diagnostics()).isEmpty();
        assertThat(yaml.diagnostics()).isEmpty();
        Runbook fromMarkdown = md.runbooksOrThrow().get(0);
        assertThat(fromMarkdown.steps()).isEqualTo(yaml.runbooksOrThrow().get(0).steps());
        assertThat(fromMarkdown.rollback()).isEqualTo(yaml.runbooksOrThrow().get(0).rollback());
        assertThat(fromMarkdown.notifications()).isEqualTo(yaml.runbooksOrThrow().get(0).notifications());
        assertThat(fromMarkdown).isEqualTo(yaml.runbooksOrThrow().get(0));
        assertThat(fromMarkdown).isEqualTo(SeedRunbooksInJava.oomKilledIncreaseMemory());
    }

    @Test
    void theReadmeExampleLoadsCleanly() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        int start = readme.indexOf("````markdown\n") + "````markdown\n".length();
        String example = readme.substring(start, readme.indexOf("\n````", start) + 1);
        LoadResult loaded = loader.loadString(example, "README-example.md");
        assertThat(loaded.diagnostics()).isEmpty();
        Runbook rb = loaded.runbooksOrThrow().get(0);
        assertThat(rb.name()).isEqualTo("High error rate: restart or roll back");
        assertThat(rb.steps().flatten()).extracting(s -> s.name()).containsExactly(
                "Keep recent logs", "Choose remediation", "Roll back deployment", "Restart container");
        assertThat(rb.rollback()).extracting(s -> s.name()).containsExactly("Restart container");
        assertThat(rb.notifications().onFailure()).singleElement().extracting(n -> n.channel()).isEqualTo("slack");
    }

    @Test
    void windowsLineEndingsGiveTheSameRunbook() throws java.io.IOException {
        String text = java.nio.file.Files.readString(SEED_002.resolve("high-error-rate.md")).replace("\n", "\r\n");
        LoadResult loaded = loader.loadString(text, "high-error-rate.md");
        assertThat(loaded.diagnostics()).isEmpty();
        assertThat(loaded.runbooksOrThrow().get(0)).isEqualTo(SeedRunbooksInJava.highErrorRate());
    }
}
