package dev.runbook.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile payloads must be refused at compile time, and nothing may happen as a side effect. */
class SandboxTest {

  private static final Set<String> ROOTS = Set.of("incident", "list", "name", "current_memory");
  private final ExpressionCompiler compiler = ExpressionCompiler.standard();

  @TempDir
  Path dir;

  static Stream<Arguments> payloads() {
    List<String> p = new ArrayList<>(List.of(
        // process execution and JVM control
        "Runtime.getRuntime().exec('touch {marker}')",
        "Runtime.getRuntime().exec(new String[]{'sh', '-c', 'touch {marker}'})",
        "\"\".getClass().forName('java.lang.Runtime')",
        "''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null)",
        "java.lang.System.exit(1)",
        "System.exit(0)",
        "System.getenv()",
        "new java.io.File('{marker}').createNewFile()",
        "new java.lang.ProcessBuilder('touch', '{marker}').start()",
        "Thread.sleep(100000)",
        "java.nio.file.Files.createFile(java.nio.file.Paths.get('{marker}'))",
        "Math.random()",
        // statements, loops, definitions
        "while(true){}",
        "foreach (x : list) { x }",
        "for (int i = 0; i < 10; i++) { }",
        "do { name } while (true)",
        "until (false) { name }",
        "if (true) { 1 } else { 2 }",
        "def f() { 1 }; f()",
        "function f() { 1 }",
        "import java.io.*; new File('{marker}').createNewFile()",
        "return 1",
        "assert false",
        "name; Runtime.getRuntime()",
        "with (incident) { resource = null }",
        "proto X { int a; }",
        // assignment and mutation of inputs
        "x = 5",
        "incident.resource.name = 'x'",
        "name += 'x'",
        "current_memory++",
        "incident.put('pwned', 1)",
        "incident.clear()",
        "incident.remove('resource')",
        "list.add(1)",
        "list.remove(0)",
        "list.clear()",
        "incident.entrySet().iterator().next().setValue('x')",
        "list.iterator().remove()",
        "incident.resource.put('name', 'x')",
        // MVEL templates, interpolation, comments, escapes
        "@{Runtime.getRuntime().exec('touch {marker}')}",
        "${Runtime.getRuntime()}",
        "name // comment",
        "/* comment */ name",
        "\\u0065xec('touch {marker}')",
        "name == '\\u0065xec'",
        "`touch {marker}`",
        "name # x",
        "name ~= 'a.*'",
        // reflection and class access
        "Class.forName('java.lang.Runtime')",
        "''.class",
        "''.class.forName('java.lang.Runtime')",
        "incident['class']",
        "incident['getClass']",
        "incident.getClass()",
        "incident.?getClass()",
        "incident.CLASS",
        "name.classLoader",
        "incident.resource.declaringClass",
        "[1, 2].getClass()",
        "java.lang.reflect.Array.newInstance(name, 1)",
        "com.sun.jndi.ldap.LdapCtx",
        "T(java.lang.Runtime).getRuntime()",
        "org.mvel2.MVEL.eval('1')",
        "this.getClass()",
        "name.hashCode()",
        "name.wait()",
        "name.getBytes()",
        "name.replaceAll('a', 'b')",
        "name.concat('b')",
        "name.chars().count()",
        "(Object) name",
        "new String('x')",
        "__rb_base64_1(name)",
        "nil",
        // keywords and odd operators
        "name instanceof java.lang.String",
        "name is String",
        "name == empty",
        "isdef name",
        "name ^ 1",
        "1 << 40",
        "2 ** 99999999",
        "name & 1",
        "name | 1",
        "0x41 == 65",
        "'x' * 999999999",
        "99999999999999999999999999999999999999 * 99999999999999999999999999999999999999",
        "n\u0430me == 'x'",   // Cyrillic a: homoglyph identifier
        "name\u0000",
        // length and depth bombs
        "name" + " + name".repeat(500),
        "(".repeat(10_000) + "1" + ")".repeat(10_000),
        "(".repeat(900) + "1" + ")".repeat(900),
        "[".repeat(500) + "1" + "]".repeat(500),
        "length(".repeat(300) + "name" + ")".repeat(300),
        "'" + "a".repeat(5000) + "'"));
    return p.stream().map(Arguments::of);
  }

  private Map<String, Object> input() {
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("name", "app-1");
    Map<String, Object> incident = new LinkedHashMap<>();
    incident.put("resource", resource);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("incident", incident);
    v.put("list", new ArrayList<>(List.of(1, 2, 3)));
    v.put("name", "app");
    v.put("current_memory", "256Mi");
    return v;
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("payloads")
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void hostileExpressionIsRefused(String payload) {
    Path marker = dir.resolve("pwned");
    String source = payload.replace("{marker}", marker.toString());
    Map<String, Object> input = input();
    String before = input.toString();

    assertThatThrownBy(() -> compiler.compileExpression(source, ROOTS).evaluate(input))
        .isInstanceOf(SandboxViolationException.class)
        .satisfies(e -> {
          SandboxViolationException v = (SandboxViolationException) e;
          assertThat(v.offset()).isBetween(0, source.length());
          assertThat(v.reason()).isNotBlank();
        });
    // referencedRoots runs the same lexical check (without the root check: then it must at least
    // report a root that is not allowed)
    try {
      assertThat(ROOTS.containsAll(compiler.referencedRoots(source))).as("roots of %s", source).isFalse();
    } catch (ExpressionException expected) {
      // refused lexically
    }
    // inside a template it must be refused as well (possibly as a template syntax error)
    assertThatThrownBy(() -> compiler.compileTemplate("x: {{ " + source + " }}", ROOTS).render(input))
        .isInstanceOf(ExpressionException.class);

    assertThat(Files.exists(marker)).as("marker file created").isFalse();
    assertThat(input.toString()).isEqualTo(before);
  }

  @Test
  void payloadCorpusIsLargeEnough() {
    assertThat(payloads().count()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void refusalsNameTheTokenAndOffset() {
    assertRefusal("name.getClass()", 5, "method 'getClass' is not allowed (allowed methods: length, isEmpty,");
    assertRefusal("name == 1 && foo", 13, "unknown variable 'foo' (known: current_memory, incident, list, name)");
    assertRefusal("current_memroy", 0, "unknown variable 'current_memroy'");
    assertRefusal("current_memroy", 0, "did you mean 'current_memory'?");
    assertRefusal("incident.resource.class", 18, "property 'class' is not allowed");
    assertRefusal("incident['class']", 9, "index 'class' is not allowed");
    assertRefusal("name == 'a'; 1", 11, "statement separator ';' is not allowed");
    assertRefusal("new java.io.File('x')", 0, "keyword 'new' is not allowed");
    assertRefusal("Runtime.getRuntime()", 0, "unknown variable 'Runtime'");
    assertRefusal("name == '\\u0065'", 9, "escape '\\u' is not allowed");
    assertRefusal("name + name".repeat(300), 2000, "at most 2000");
    assertRefusal("(".repeat(40) + "1" + ")".repeat(40), 32, "nesting deeper than 32");
    assertRefusal("name.trim().lenght()", 12, "did you mean 'length'?");
  }

  private void assertRefusal(String source, int offset, String reasonPart) {
    assertThatThrownBy(() -> compiler.compileExpression(source, ROOTS))
        .isInstanceOf(SandboxViolationException.class)
        .satisfies(t -> {
          ExpressionException e = (ExpressionException) t;
          assertThat(e.reason()).contains(reasonPart);
          assertThat(e.offset()).as(e.getMessage()).isEqualTo(offset);
        });
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void hostileDataIsNeverCode() {
    CompiledTemplate t = compiler.compileTemplate("msg: {{ incident.resource.name }} / {{ name | upper }}", ROOTS);
    for (String data : List.of("{{ 7*7 }}", "${7*7}", "@{7*7}", "@{Runtime.getRuntime().exec('touch x')}",
        "{{ name.getClass() }}", "'); System.exit(1); ('")) {
      Map<String, Object> v = Map.of("incident", Map.of("resource", Map.of("name", data)), "name", data);
      String out = t.renderString(v);
      assertThat(out).isEqualTo("msg: " + data + " / " + data.toUpperCase(java.util.Locale.ROOT));
      // also through the full evaluator (not the fast path) and through a condition
      assertThat(compiler.compileExpression("name + ''", ROOTS).evaluate(v)).isEqualTo(data);
      assertThat(compiler.compileExpression("name == incident.resource.name", ROOTS).test(v)).isTrue();
      assertThat(compiler.compileTemplate("{{ name }}", ROOTS).render(v)).isEqualTo(data);
    }
  }

  @Test
  void stringContentThatLooksLikeCodeIsJustText() {
    Map<String, Object> v = Map.of("name", "x");
    assertThat(compiler.compileExpression("'Runtime.getRuntime(); x = 1 // {} @{} ${}' + name", ROOTS).evaluate(v))
        .isEqualTo("Runtime.getRuntime(); x = 1 // {} @{} ${}x");
    assertThat(compiler.compileExpression("name == 'classic'", ROOTS).test(v)).isFalse();
  }
}
