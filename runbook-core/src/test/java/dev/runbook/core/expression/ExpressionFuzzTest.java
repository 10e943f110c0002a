package dev.runbook.core.expression;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Property: whatever expression is written, from MVEL's grammar and with Java class, package and method names
 * mixed into the real variable shapes, it is refused at compile time or evaluates to a Map, List, String, Number,
 * Boolean or null, without creating a file, closing System.out/err, overrunning a deadline or allocating without
 * bound (see {@link EscapeHarness}). Coverage checks keep the generator honest: a fair share of the cases must
 * get past the compiler and give values.
 */
class ExpressionFuzzTest {

  private static Path dir;
  private static EscapeHarness harness;

  @BeforeContainer
  static void start() throws IOException {
    dir = Files.createTempDirectory("expression-fuzz");
    harness = new EscapeHarness(dir);
  }

  @AfterContainer
  static void stop() throws IOException {
    harness.close();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A generated case: the expression and the roots declared for it. */
  record Case(String source, Set<String> roots) {}

  @Property(tries = 3000)
  void everyExpressionIsRefusedOrGivesOnlyValues(@ForAll("cases") Case c) {
    String problem = harness.problemWith(c.source(), c.roots());
    assertThat(problem).isNull();
    Statistics.label("outcome").collect(harness.lastOutcome());
    Statistics.label("outcome").coverage(check -> {
      check.check(EscapeHarness.Outcome.VALUE).percentage(p -> p >= 5); // about 8% in practice
      check.check(EscapeHarness.Outcome.FAILED).percentage(p -> p >= 5);
      check.check(EscapeHarness.Outcome.REFUSED).percentage(p -> p >= 10);
    });
  }

  @Provide
  Arbitrary<Case> cases() {
    return Arbitraries.randomValue(random -> new Gen(random).generate());
  }

  /** Writes expressions: mostly well-formed over the real roots and keys, with hostile names and forms mixed in. */
  static final class Gen {
    static final List<String> ROOTS = List.copyOf(EscapeHarness.ROOTS);
    static final List<String> KEYS = List.of("resource", "name", "kind", "namespace", "labels", "team", "app",
        "causal_chain", "cause_reason", "confidence", "attributes", "restarts", "owner", "rca_confidence",
        "root_cause_reason", "incident_id", "cluster", "event_time", "id", "dry_run", "ok", "items", "count", "n",
        "ready", "missing");
    static final List<String> CLASSES = List.of("System", "Runtime", "Thread", "Class", "String", "Math", "Integer",
        "Long", "Object", "ClassLoader", "StringBuilder", "Array", "Void", "Exception", "ProcessBuilder", "File",
        "Paths", "Files", "MVEL", "Unsafe", "InitialContext", "ExpressionCompiler");
    static final List<String> PACKAGES = List.of("java", "javax", "jdk", "sun", "com", "org", "net", "io", "dev",
        "lang", "nio", "file", "util", "reflect", "mvel2", "runbook");
    static final List<String> MEMBERS = List.of("getClass", "class", "forName", "exec", "getRuntime", "runtime",
        "close", "out", "err", "in", "exit", "halt", "getenv", "properties", "newInstance", "invoke", "getMethod",
        "methods", "createNewFile", "toFile", "get", "list", "readAllBytes", "openStream", "toUri", "toURL",
        "stream", "toArray", "bytes", "chars", "lines", "hashCode", "toString", "wait", "notify", "blank", "empty",
        "length", "size", "isEmpty", "contains", "containsKey", "substring", "startsWith", "endsWith", "trim",
        "toUpperCase", "toLowerCase", "indexOf", "equals", "keySet", "values", "entrySet", "iterator", "put",
        "remove", "currentThread", "console", "gc", "availableProcessors", "flush", "setAccessible", "declaredFields",
        "module", "classLoader", "standard");
    static final List<String> HELPERS = List.of("parse_memory", "format_memory", "parse_cpu", "format_cpu",
        "multiply", "divide", "add", "round", "default", "lower", "upper", "base64", "base64_decode", "json",
        "length", "trim");
    static final List<String> WORDS = List.of("new", "def", "import", "foreach", "while", "if", "return",
        "instanceof", "is", "with", "assert", "isdef", "empty", "nil", "this", "var", "contains", "true", "false",
        "null", "T");
    static final List<String> BINARY = List.of("+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&",
        "||", " contains ", "+", "==", "&&", "=", ";", "**", " instanceof ", " is ", "~=", "<<", "|", "&", "^",
        " soundslike ", " strsim ", "#", "+=");
    static final List<String> STRINGS = List.of("'x'", "''", "'OOMKilled'", "'256Mi'", "'java.lang.Runtime'",
        "'{dir}/pwned'", "'/etc/hostname'", "\"System\"", "'a\\'b'", "'${7*7}'", "'@{x}'", "'class'", "'1.5'",
        "'2'");
    static final List<String> NUMBERS = List.of("0", "1", "2", "-1", "0.8", "3.5", "1e3", "5L", "2147483647",
        "9223372036854775807", "0x41", "1.0d", "7", "100");

    static final List<String> TAME_BINARY = List.of("+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=",
        "&&", "||", " contains ");
    static final List<String> TAME_CALLS = List.of(".length()", ".size()", ".isEmpty()", ".toUpperCase()",
        ".trim()", ".contains('a')", ".get(0)", ".get('name')", ".substring(1)", ".startsWith('app')",
        ".indexOf('-')", ".containsKey('team')", ".equals('shop')");

    private final Random random;
    private final Set<String> roots = new HashSet<>(EscapeHarness.ROOTS);
    /** Half of the cases stay close to real runbook expressions, so that many get past the compiler. */
    private boolean tame;

    Gen(Random random) {
      this.random = random;
    }

    Case generate() {
      tame = random.nextBoolean();
      if (!tame && random.nextInt(4) == 0) {
        // a root named like a package or class, as a parameter, output_var or expect column could be
        roots.add(pick(random.nextBoolean() ? PACKAGES : CLASSES));
      }
      return new Case(expression(random.nextInt(tame ? 4 : 5)), Set.copyOf(roots));
    }

    private String expression(int depth) {
      if (depth <= 0) {
        return postfix(atom(), random.nextInt(4));
      }
      if (tame) {
        return switch (random.nextInt(8)) {
          case 0, 1, 2 -> expression(depth - 1) + " " + pick(TAME_BINARY) + " " + expression(depth - 1);
          case 3 -> "!(" + expression(depth - 1) + ")";
          case 4 -> expression(depth - 1) + " ? " + expression(depth - 1) + " : " + expression(depth - 1);
          case 5 -> "[" + expression(depth - 1) + ", " + expression(depth - 1) + "]";
          case 6 -> pick(List.of("default", "length", "json", "upper")) + "(" + expression(depth - 1) + ")";
          default -> "(" + expression(depth - 1) + ")";
        };
      }
      return switch (random.nextInt(12)) {
        case 0, 1, 2 -> expression(depth - 1) + " " + pick(BINARY) + " " + expression(depth - 1);
        case 3 -> (random.nextBoolean() ? "!" : "-") + expression(depth - 1);
        case 4 -> expression(depth - 1) + " ? " + expression(depth - 1) + " : " + expression(depth - 1);
        case 5 -> "(" + expression(depth - 1) + ")";
        case 6 -> "[" + expression(depth - 1) + (random.nextBoolean() ? ", " + expression(depth - 1) : "") + "]";
        case 7 -> pick(HELPERS) + "(" + expression(depth - 1)
            + (random.nextInt(3) == 0 ? ", " + expression(depth - 1) : "") + ")";
        case 8 -> postfix("[" + expression(depth - 1) + "][0]", random.nextInt(5));
        case 9 -> hostileForm(depth - 1);
        default -> postfix(expression(depth - 1), 1 + random.nextInt(4));
      };
    }

    private String atom() {
      if (tame) {
        return switch (random.nextInt(6)) {
          case 0, 1, 2 -> pick(ROOTS);
          case 3 -> pick(NUMBERS.subList(0, 8));
          case 4 -> pick(STRINGS);
          default -> pick(List.of("true", "false", "null"));
        };
      }
      return switch (random.nextInt(10)) {
        case 0, 1, 2, 3 -> pick(ROOTS);
        case 4 -> pick(NUMBERS);
        case 5 -> pick(STRINGS);
        case 6 -> pick(WORDS);
        case 7 -> qualifiedName();
        case 8 -> pick(CLASSES);
        default -> "[" + pick(ROOTS) + "]";
      };
    }

    private String postfix(String target, int steps) {
      StringBuilder sb = new StringBuilder(target);
      for (int i = 0; i < steps; i++) {
        if (tame) {
          switch (random.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> sb.append(random.nextInt(3) == 0 ? ".?" : ".").append(pick(KEYS));
            case 5, 6 -> sb.append(pick(TAME_CALLS));
            case 7, 8 -> sb.append(random.nextBoolean() ? "[0]" : "['" + pick(KEYS) + "']");
            default -> sb.append(random.nextBoolean() ? ".?" : ".").append(pick(random.nextBoolean() ? CLASSES
                : MEMBERS));
          }
          continue;
        }
        switch (random.nextInt(7)) {
          case 0, 1 -> sb.append('.').append(pick(KEYS));
          case 2 -> sb.append(random.nextBoolean() ? ".?" : ".").append(pick(random.nextBoolean() ? CLASSES : MEMBERS));
          case 3 -> sb.append('.').append(pick(MEMBERS)).append("()");
          case 4 -> sb.append('.').append(pick(MEMBERS)).append('(').append(random.nextBoolean() ? pick(STRINGS)
              : pick(NUMBERS)).append(')');
          case 5 -> sb.append('[').append(random.nextBoolean() ? pick(NUMBERS) : "'" + pick(KEYS) + "'").append(']');
          default -> sb.append(".?").append(pick(KEYS));
        }
      }
      return sb.toString();
    }

    private String qualifiedName() {
      StringBuilder sb = new StringBuilder(pick(PACKAGES));
      for (int i = random.nextInt(3); i >= 0; i--) {
        sb.append('.').append(pick(PACKAGES));
      }
      return sb.append('.').append(pick(CLASSES)).toString();
    }

    private String hostileForm(int depth) {
      String e = expression(depth);
      return switch (random.nextInt(10)) {
        case 0 -> "new " + pick(CLASSES) + "(" + e + ")";
        case 1 -> "T(" + qualifiedName() + ")." + pick(MEMBERS);
        case 2 -> "@{" + e + "}";
        case 3 -> "def f() { " + e + " }; f()";
        case 4 -> "[" + e + ": " + expression(depth) + "]";
        case 5 -> "(" + pick(CLASSES) + ") " + e;
        case 6 -> e + ".class";
        case 7 -> "${" + e + "}";
        case 8 -> "{ " + e + " }";
        default -> e + " // " + pick(MEMBERS);
      };
    }

    private String pick(List<String> from) {
      return from.get(random.nextInt(from.size()));
    }
  }
}
