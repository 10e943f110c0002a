package dev.runbook.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ExpressionCompilerTest {

  private static final Set<String> ROOTS =
      Set.of("incident", "new_failures", "count", "flag", "list", "name", "current_memory");
  private final ExpressionCompiler compiler = ExpressionCompiler.standard();

  static Map<String, Object> vars() {
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("kind", "Pod");
    resource.put("name", "app-7f9c");
    resource.put("namespace", "shop");
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("team", "sre");
    Map<String, Object> incident = new LinkedHashMap<>();
    incident.put("rca_confidence", 0.92);
    incident.put("root_cause_reason", "OOMKilled");
    incident.put("resource", resource);
    incident.put("labels", labels);
    incident.put("owner", null);
    Map<String, Object> v = new HashMap<>();
    v.put("incident", incident);
    v.put("new_failures", 0);
    v.put("count", 5L);
    v.put("flag", false);
    v.put("list", new ArrayList<>(List.of("a", "b")));
    v.put("name", "app-server");
    v.put("current_memory", "256Mi");
    return v;
  }

  private Object eval(String source) {
    return compiler.compileExpression(source, ROOTS).evaluate(vars());
  }

  @ParameterizedTest
  @CsvSource(delimiterString = "=>", textBlock = """
      new_failures == 0 => true
      incident.rca_confidence >= 0.8 && incident.root_cause_reason == 'OOMKilled' => true
      incident.rca_confidence >= 0.95 && incident.root_cause_reason == 'OOMKilled' => false
      incident.resource.kind == "Pod" => true
      count > 3 || flag => true
      count > 30 || flag => false
      list.size() > 0 => true
      name.startsWith('app') => true
      name.endsWith('server') && !flag => true
      incident.labels.team == 'sre' => true
      incident.?owner.?name == null => true
      list contains 'b' => true
      list contains 'z' => false
      incident.resource.name contains '7f9c' => true
      incident['resource']['namespace'] == 'shop' => true
      list[0] == 'a' => true
      (count + 1) * 2 == 12 => true
      count % 2 == 1 && count - 5 == 0 => true
      incident.labels.containsKey('team') && incident.labels.size() == 1 => true
      name.toUpperCase() == 'APP-SERVER' => true
      name.substring(0, 3).equals('app') => true
      name.indexOf('-') == 3 && !name.isEmpty() && name.trim().length() == 10 => true
      parse_memory(current_memory) > 100000000 => true
      length(list) == 2 && lower('A') == 'a' => true
      ['a', 'x'] contains incident.labels.team == false => true
      """)
  void productConditionsWork(String source, boolean expected) {
    assertThat(compiler.compileExpression(source, ROOTS).test(vars())).isEqualTo(expected);
  }

  @Test
  void ternaryAndValues() {
    assertThat(eval("count > 3 ? 'many' : 'few'")).isEqualTo("many");
    assertThat(eval("incident.resource.name")).isEqualTo("app-7f9c");
    assertThat(eval("multiply(current_memory.length(), 2)")).isEqualTo(10L);
    assertThat(eval("round(incident.rca_confidence * 10)")).isEqualTo(9L);
    assertThat(eval("round(incident.rca_confidence, 1)")).isEqualTo(0.9);
    assertThat(eval("default(incident.owner, 'nobody')")).isEqualTo("nobody");
  }

  @Test
  void referencedRoots() {
    CompiledExpression e = compiler.compileExpression("incident.x == 1 && count > multiply(count, 2)", ROOTS);
    assertThat(e.referencedRoots()).containsExactly("incident", "count");
    assertThat(e.source()).isEqualTo("incident.x == 1 && count > multiply(count, 2)");
    assertThat(compiler.referencedRoots("anything.at.all > other")).containsExactly("anything", "other");
    assertThat(compiler.referencedRoots("x: {{ a.b | default(c) }} and {{ d }}")).containsExactly("a", "c", "d");
    assertThatThrownBy(() -> compiler.referencedRoots("a.getClass()"))
        .isInstanceOf(SandboxViolationException.class);
  }

  @Test
  void fastPathReturnsNullForMissingSteps() {
    CompiledExpression e = compiler.compileExpression("incident.resource.missing.deeper", ROOTS);
    assertThat(e.evaluate(vars())).isNull();
    assertThat(compiler.compileExpression("incident.nothing", ROOTS).evaluate(vars())).isNull();
    assertThat(compiler.compileExpression("current_memory", ROOTS).evaluate(vars())).isEqualTo("256Mi");
    assertThat(compiler.compileExpression("current_memory", ROOTS).evaluate(Map.of())).isNull();
    // A non-map intermediate falls back to the full evaluator, which reads properties of maps only: MVEL used to
    // call String.isBlank() here, and any other public no-argument method the same way (issue 13)
    assertThatThrownBy(() -> compiler.compileExpression("name.blank", Set.of("name")).evaluate(Map.of("name", " ")))
        .isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("'name' is text ' ', not a map, so it has no 'blank'");
  }

  @Test
  void fastPathAlsoWalksRecordsViaCopyWhenMvelIsUsed() {
    record Pod(String name, int restarts) {}
    CompiledExpression e = compiler.compileExpression("pod.restarts > 3", Set.of("pod"));
    // records are copied into read-only maps; non-public records are exposed as text
    assertThatThrownBy(() -> e.test(Map.of("pod", new Pod("a", 5))))
        .isInstanceOf(ExpressionEvaluationException.class);
  }

  @Test
  void ordinaryDataKeysStayReachable() {
    Map<String, Object> v = Map.of("incident", Map.of("runtime", "jvm", "system", "billing", "module", "cart",
        "put", "p"));
    assertThat(compiler.compileExpression("incident.runtime == 'jvm' && incident.system == 'billing'"
        + " && incident.module == 'cart' && incident['put'] == 'p'", ROOTS).test(v)).isTrue();
    // keys containing 'class' are refused even as an index (by design)
    assertThatThrownBy(() -> compiler.compileExpression("incident['classic']", ROOTS))
        .isInstanceOf(SandboxViolationException.class);
    assertThat(compiler.compileExpression("incident.?missing.?deeper == null", ROOTS).test(Map.of("incident", Map.of()))).isTrue();
  }

  @Test
  void testRequiresBoolean() {
    CompiledExpression e = compiler.compileExpression("name", ROOTS);
    assertThatThrownBy(() -> e.test(vars()))
        .isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("boolean")
        .hasMessageContaining("'name'");
    assertThatThrownBy(() -> e.test(Map.of()))
        .isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("null");
  }

  @Test
  void runtimeFailuresNameTheSource() {
    CompiledExpression e = compiler.compileExpression("incident.owner.name == 'x'", ROOTS);
    assertThatThrownBy(() -> e.test(vars()))
        .isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("incident.owner.name == 'x'")
        .satisfies(t -> assertThat(((ExpressionEvaluationException) t).source())
            .isEqualTo("incident.owner.name == 'x'"));
    assertThatThrownBy(() -> compiler.compileExpression("divide(count, 0)", ROOTS).evaluate(vars()))
        .isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("division by zero")
        .hasMessageContaining("divide(count, 0)");
    assertThatThrownBy(() -> compiler.compileExpression("parse_memory(name)", ROOTS).evaluate(vars()))
        .isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("parse_memory: 'app-server' is not a memory quantity");
  }

  @Test
  void compileErrorsCarryOffsets() {
    assertError("count > 3 && foo == 1", 13, "unknown variable 'foo' (known: count, current_memory, flag, incident, list, name, new_failures)");
    assertError("current_memry == '1'", 0, "did you mean 'current_memory'?");
    assertError("name.getClass()", 5, "method 'getClass' is not allowed (allowed methods: length, isEmpty");
    assertError("count = 5", 6, "assignment '=' is not allowed");
    assertError("'abc", 0, "unterminated string literal");
    assertError("(count > 1", 0, "unclosed '('");
    assertError("count >", 7, "unexpected end of expression");
    assertError("", 0, "empty expression");
    assertError("round(1, 2, 3)", 0, "function 'round' takes 1 or 2 arguments but got 3");
    assertError("mulitply(1, 2)", 0, "did you mean 'multiply'?");
    assertError("name.trim ( ).lenght()", 14, "did you mean 'length'?");
  }

  private void assertError(String source, int offset, String reasonPart) {
    assertThatThrownBy(() -> compiler.compileExpression(source, ROOTS))
        .isInstanceOf(ExpressionException.class)
        .satisfies(t -> {
          ExpressionException e = (ExpressionException) t;
          assertThat(e.offset()).as("offset of %s", e.getMessage()).isEqualTo(offset);
          assertThat(e.reason()).contains(reasonPart);
          assertThat(e.source()).isEqualTo(source);
          assertThat(e.getMessage()).isEqualTo(e.reason() + " in '" + source + "'");
        });
  }

  @Test
  void expressionsNeverMutateInputsEvenViaAllowedMethodsOrHelpers() throws Exception {
    ExpressionCompiler custom = ExpressionCompiler.builder().withStandardFunctions()
        .function("sneaky", Sneaky.class.getMethod("sneaky", Object.class)).build();
    Map<String, Object> v = vars();
    String before = v.toString();
    for (String src : List.of("list.contains('a')", "list.get(0) == 'a'", "incident.get('labels').size() == 1",
        "incident.resource.containsKey('kind')", "name.trim().toLowerCase() == 'app-server'")) {
      assertThat(custom.compileExpression(src, ROOTS).test(v)).isTrue();
    }
    assertThatThrownBy(() -> custom.compileExpression("sneaky(list)", ROOTS).evaluate(v))
        .isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("UnsupportedOperationException");
    assertThatThrownBy(() -> custom.compileExpression("sneaky(incident)", ROOTS).evaluate(v))
        .isInstanceOf(ExpressionEvaluationException.class);
    assertThat(v.toString()).isEqualTo(before);
    // a fast-path value handed out is a read-only copy too
    Object labels = compiler.compileExpression("incident.labels", ROOTS).evaluate(v);
    assertThatThrownBy(() -> asMap(labels).put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(v.toString()).isEqualTo(before);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }

  /** A custom helper that tries to mutate what it is given. */
  public static final class Sneaky {
    private Sneaky() {}

    /**
     * Tries to mutate.
     *
     * @param o a collection or map
     * @return never
     */
    @SuppressWarnings("unchecked")
    public static Object sneaky(Object o) {
      if (o instanceof List<?> l) {
        ((List<Object>) l).add("pwned");
      } else if (o instanceof Map<?, ?> m) {
        ((Map<String, Object>) m).put("pwned", true);
      }
      return o;
    }
  }

  @Test
  void builderValidatesNames() throws Exception {
    var m = Sneaky.class.getMethod("sneaky", Object.class);
    assertThatThrownBy(() -> ExpressionCompiler.builder().function("not valid", m))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExpressionCompiler.builder().function("new", m))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExpressionCompiler.builder().withStandardFunctions().function("base64", m))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
    assertThatThrownBy(() -> ExpressionCompiler.builder().function("inst", Object.class.getMethod("toString")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("static");
    ExpressionCompiler only = ExpressionCompiler.builder().function("sneaky", m).build();
    assertThat(only.functionNames()).containsExactly("sneaky");
    assertThatThrownBy(() -> only.compileExpression("base64(name)", ROOTS))
        .isInstanceOf(SandboxViolationException.class).hasMessageContaining("unknown function 'base64'");
    assertThat(compiler.functionNames()).contains("parse_memory", "format_memory", "parse_cpu", "format_cpu",
        "multiply", "divide", "add", "round", "default", "lower", "upper", "base64", "base64_decode", "json",
        "length", "trim");
    assertThatThrownBy(() -> compiler.compileExpression("x", Set.of("Runtime")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentEvaluationOfOneCompiledExpression() throws Exception {
    CompiledExpression e = compiler.compileExpression(
        "incident.resource.name == 'pod-' + count && multiply(count, 2) > count", ROOTS);
    CompiledTemplate t = compiler.compileTemplate("{{ incident.resource.name }}:{{ count | multiply(3) }}", ROOTS);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        final int id = thread;
        tasks.add(() -> {
          for (int i = 0; i < 500; i++) {
            long n = id * 1000L + i + 1;
            Map<String, Object> v = Map.of("incident", Map.of("resource", Map.of("name", "pod-" + n)), "count", n);
            Map<String, Object> wrong = Map.of("incident", Map.of("resource", Map.of("name", "pod-x")), "count", n);
            if (!e.test(v) || e.test(wrong) || !t.renderString(v).equals("pod-" + n + ":" + (3 * n))) {
              return false;
            }
          }
          return true;
        });
      }
      for (Future<Boolean> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void templatesUtility() {
    assertThat(Templates.containsTemplate("a {{ b }}")).isTrue();
    assertThat(Templates.containsTemplate("a { b }")).isFalse();
    assertThat(Templates.containsTemplate(null)).isFalse();
  }

  @Test
  void identicalTextCompilesOnceButEachCallerIsCheckedAgainstItsOwnRoots() {
    ExpressionCompiler c = ExpressionCompiler.builder().withStandardFunctions().build();
    CompiledTemplate first = c.compileTemplate("{{ pod | upper }} in {{ ns }}", Set.of("pod", "ns"));
    assertThat(c.compileTemplate("{{ pod | upper }} in {{ ns }}", Set.of("pod", "ns", "other"))).isSameAs(first);
    CompiledExpression cond = c.compileExpression("count > 2", Set.of("count"));
    assertThat(c.compileExpression("count > 2", Set.of("count", "x"))).isSameAs(cond);
    // A cached compile is never a way round the roots: the second caller gets its own, exact error.
    assertThatThrownBy(() -> c.compileTemplate("{{ pod | upper }} in {{ ns }}", Set.of("pod")))
        .isInstanceOf(SandboxViolationException.class).hasMessageContaining("unknown variable 'ns'");
    assertThatThrownBy(() -> c.compileExpression("count > 2", Set.of("total")))
        .isInstanceOf(SandboxViolationException.class).hasMessageContaining("unknown variable 'count'");
    assertThat(first.renderString(Map.of("pod", "web", "ns", "prod"))).isEqualTo("WEB in prod");
  }
}
