package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every file under {@code bad/} is loaded and its diagnostics must be exactly those in the sibling
 * {@code .expected} file ({@code LINE:COL: message}, every problem of the file at once). Directories
 * ({@code chain/}, {@code dupid/}) are loaded as one library; their {@code expected.txt} lists full diagnostics.
 */
class BadInputCorpusTest {
    static final Path BAD = Path.of("src/test/resources/bad");
    private final RunbookLoader loader = RunbookLoader.builder().build();

    static Stream<Path> badFiles() throws IOException {
        return Files.list(BAD).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void reportsExactlyTheExpectedProblems(Path file) throws IOException {
        var expected = Files.readAllLines(Path.of(file.toString().replace(".yaml", ".expected")));
        var result = loader.load(file);
        assertThat(result.diagnostics()).allSatisfy(d -> assertThat(d.file()).isEqualTo(file.toString()));
        assertThat(result.diagnostics().stream().map(d -> d.line() + ":" + d.column() + ": "
                + (d.isError() ? "" : "warning: ") + d.message()).toList())
                .containsExactlyElementsOf(expected);
        assertThat(result.ok()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("libraries")
    void checksDuplicateIdsAndChainingAcrossFiles(Path dir) throws IOException {
        var expected = Files.readAllLines(dir.resolve("expected.txt"));
        assertThat(loader.load(dir).diagnostics().stream().map(Diagnostic::toString).toList())
                .containsExactlyElementsOf(expected);
    }

    static Stream<Path> libraries() {
        return Stream.of(BAD.resolve("chain"), BAD.resolve("dupid"), BAD.resolve("reserved"));
    }

    @Test
    void aVariableNamedLikeAJavaClassIsADiagnosticAndTheOtherFilesStillLoad() {
        // issue 13: a parameter named System used to end the whole folder with "unexpected error" and no position
        var result = loader.load(BAD.resolve("reserved"));
        assertThat(result.diagnostics()).isNotEmpty()
                .allSatisfy(d -> assertThat(d.file()).isEqualTo(BAD.resolve("reserved/a.yaml").toString()));
        assertThat(result.diagnostics().get(0).toString()).isEqualTo(BAD.resolve("reserved/a.yaml")
                + ":6:13: parameters[0].name: parameter name 'System' cannot be used in expressions: 'System' is the"
                + " name of a Java class; choose another name");
        assertThat(result.runbooks()).extracting(r -> r.runbook().id()).contains("reserved-names-neighbour-v1");
    }

    @Test
    void loadingTheDirectoryReportsEveryFile() throws IOException {
        var result = loader.load(BAD);
        var files = result.diagnostics().stream().map(Diagnostic::file).distinct().toList();
        var expectedFiles = Stream.concat(badFiles().map(Path::toString),
                Stream.of(BAD.resolve("chain/a.yaml").toString(), BAD.resolve("dupid/b.yaml").toString(),
                        BAD.resolve("reserved/a.yaml").toString())).sorted().toList();
        assertThat(files).containsExactlyInAnyOrderElementsOf(expectedFiles);
        assertThat(result.diagnostics()).allSatisfy(d -> assertThat(d.toString()).matches(".+\\.yaml:\\d+:\\d+: .+"));
    }

    @Test
    void runbooksOrThrowCarriesEveryDiagnostic() {
        var result = loader.load(BAD.resolve("out-of-range.yaml"));
        try {
            result.runbooksOrThrow();
            throw new AssertionError("expected RunbookLoadException");
        } catch (RunbookLoadException e) {
            assertThat(e.diagnostics()).hasSize(5).isEqualTo(result.diagnostics());
            assertThat(e.getMessage()).contains("out-of-range.yaml:4:21: trigger.min_confidence: 1.5 is out of range");
        }
    }

    @Test
    void withoutValidationOnlyStructuralProblemsAreReported() {
        var result = RunbookLoader.builder().validate(false).build().load(BAD.resolve("unknown-action.yaml"));
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.runbooks()).hasSize(1);
        assertThat(List.of(result.runbooks().get(0).runbook().steps().steps().size())).containsExactly(3);
    }
}
