package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.fluent.SeedRunbooksInJava;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One model, many front ends: each seed runbook loaded from its YAML equals the same runbook in the Java DSL. */
class YamlJavaParityTest {

    static Stream<Arguments> seeds() {
        return Stream.of(
                Arguments.of("oomkilled-increase-memory.yaml", (Supplier<Runbook>) SeedRunbooksInJava::oomKilledIncreaseMemory),
                Arguments.of("oomkilled-example.yaml", (Supplier<Runbook>) SeedRunbooksInJava::oomKilledShortExample),
                Arguments.of("imagepullbackoff-fix-auth.yaml", (Supplier<Runbook>) SeedRunbooksInJava::imagePullBackOffFixAuth),
                Arguments.of("nodenotready-cordon-drain.yaml", (Supplier<Runbook>) SeedRunbooksInJava::nodeNotReadyCordonDrain));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void yamlAndJavaGiveEqualRunbooks(String file, Supplier<Runbook> java) {
        // parse only: two of the seed's examples are incomplete as written (see SeedRunbooksTest)
        LoadResult loaded = RunbookLoader.builder().validate(false).build()
                .load(Path.of("src/test/resources/seed/000", file));
        assertThat(loaded.diagnostics()).isEmpty();
        Runbook fromYaml = loaded.runbooks().get(0).runbook();
        Runbook fromJava = java.get();
        assertThat(fromYaml.steps()).isEqualTo(fromJava.steps());
        assertThat(fromYaml.rollback()).isEqualTo(fromJava.rollback());
        assertThat(fromYaml.trigger()).isEqualTo(fromJava.trigger());
        assertThat(fromYaml.safety()).isEqualTo(fromJava.safety());
        assertThat(fromYaml.notifications()).isEqualTo(fromJava.notifications());
        assertThat(fromYaml).isEqualTo(fromJava);
    }
}
