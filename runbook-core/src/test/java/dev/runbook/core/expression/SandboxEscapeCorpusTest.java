package dev.runbook.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The payloads of issue 13 (finding 1 and the parameter named {@code System}), each a regression test: every one
 * of them reached a Class, a stream, a Method or the file system through MVEL 2.5.2 behind the lexical allow-list.
 */
class SandboxEscapeCorpusTest {

  @TempDir
  static Path dir;
  private static EscapeHarness harness;

  @BeforeAll
  static void start() {
    harness = new EscapeHarness(dir);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /**
   * Payloads over the ordinary roots. Each one, run against the MVEL-based evaluator, reached a Class, a Method,
   * a stream or an array, closed System.out or System.err, or called a method that is not on the list.
   */
  static Stream<String> payloads() {
    return Stream.of(
        // (a) a missing property falls back to MVEL's literal class table
        "incident.resource.name.Runtime",
        "'x'.System",
        "[1].Thread",
        "namespace.Runtime",
        "pods.String",
        "replicas.Integer",
        "incident.resource.name.System.out",
        "incident.resource.name.System.err",
        "'x'.Thread.currentThread",
        "'x'.System.getenv",
        "'x'.System.console",
        // (b) public no-argument methods called as properties
        "incident.resource.name.System.out.close",
        "'x'.System.err.close",
        "'x'.System.out.flush",
        "namespace.bytes",
        "namespace.chars",
        "namespace.blank",
        "namespace.lines",
        "namespace.toCharArray",
        "namespace.hashCode",
        "pods.stream",
        "pods.toArray",
        "pods.listIterator",
        "restarted.items.stream.count",
        "replicas.doubleValue",
        "flag.toString");
  }

  /** Payloads that need a root named like a package: {@code java} as a parameter or output, {@code dev} in expect. */
  static Stream<Arguments> packageRootPayloads() {
    return Stream.of(
        Arguments.of("java", "[java.nio.file.Paths][0].get('{dir}/pwned').toFile.createNewFile"),
        Arguments.of("java", "[java.nio.file.Paths][0].get('{dir}').toFile.list"),
        Arguments.of("java", "[java.nio.file.Paths][0].get('/etc/hostname').toUri.toURL.openStream.readAllBytes"),
        Arguments.of("java", "[java.io.File][0]"),
        Arguments.of("java", "java.lang.System.out.close"),
        Arguments.of("javax", "[javax.naming.InitialContext][0]"),
        Arguments.of("dev", "[dev.runbook.core.expression.ExpressionCompiler][0].standard"),
        Arguments.of("io", "io"),
        Arguments.of("org", "[org.mvel2.MVEL][0]"),
        Arguments.of("com", "[com.sun.management.OperatingSystemMXBean][0]"));
  }

  /** Names a root must not have: package roots (new) and class names MVEL resolves by itself (refused before). */
  static Stream<String> reservedRootNames() {
    return Stream.concat(packageRootPayloads().map(a -> (String) a.get()[0]).distinct(),
        Stream.of("System", "Runtime", "Thread", "String", "Math", "Class", "Object", "Integer", "Long",
            "ProcessBuilder", "jdk", "sun", "net"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("payloads")
  void payloadReachesNothingButValues(String payload) {
    assertThat(harness.problemWith(payload, EscapeHarness.ROOTS, true)).isNull();
  }

  @ParameterizedTest(name = "[{index}] {0}: {1}")
  @MethodSource("packageRootPayloads")
  void payloadWithAPackageNamedRootReachesNothing(String root, String payload) {
    Set<String> roots = new HashSet<>(EscapeHarness.ROOTS);
    roots.add(root);
    assertThat(harness.problemWith(payload, roots, true)).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reservedRootNames")
  void aRootNamedLikeAPackageOrClassIsRefusedBeforeAnythingIsCompiled(String root) {
    assertThat(ExpressionCompiler.variableNameProblem(root)).isPresent();
    assertThatThrownBy(() -> ExpressionCompiler.standard().compileExpression("1 == 1", Set.of(root)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + root + "'");
  }

  @Test
  void everyFindingIsInTheCorpus() {
    List<String> all = payloads().toList();
    assertThat(all).contains("incident.resource.name.Runtime", "'x'.System", "[1].Thread",
        "incident.resource.name.System.out.close");
    assertThat(packageRootPayloads().map(a -> (String) a.get()[1]))
        .contains("[java.nio.file.Paths][0].get('{dir}/pwned').toFile.createNewFile");
  }
}
