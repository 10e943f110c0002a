package dev.runbook.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TemplateTest {

  private static final Set<String> ROOTS =
      Set.of("incident", "current_memory", "registry_config", "replicas", "ratio", "missing", "flag", "name");
  private final ExpressionCompiler compiler = ExpressionCompiler.standard();

  private static Map<String, Object> vars() {
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("team", "sre");
    labels.put("tier", "web");
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("kind", "Deployment");
    resource.put("name", "checkout");
    resource.put("namespace", "shop");
    Map<String, Object> incident = new LinkedHashMap<>();
    incident.put("resource", resource);
    incident.put("labels", labels);
    Map<String, Object> v = new HashMap<>();
    v.put("incident", incident);
    v.put("current_memory", "256Mi");
    v.put("registry_config", "{\"auths\":{}}");
    v.put("replicas", 3L);
    v.put("ratio", 512.0);
    v.put("flag", true);
    v.put("name", "app");
    return v;
  }

  private Object render(String template) {
    return compiler.compileTemplate(template, ROOTS).render(vars());
  }

  @Test
  void singleExpressionKeepsItsType() {
    assertThat(render("{{ current_memory | parse_memory | multiply(2) }}")).isEqualTo(536870912L);
    assertThat(render("{{ replicas }}")).isEqualTo(3L);
    assertThat(render("  {{ incident.labels }}\n")).isEqualTo(Map.of("team", "sre", "tier", "web"));
    assertThat(render("{{ flag }}")).isEqualTo(true);
    assertThat(render("{{ missing }}")).isNull();
    assertThat(compiler.compileTemplate("{{ replicas }}\n", ROOTS).renderString(vars())).isEqualTo("3\n");
  }

  @Test
  void filtersChain() {
    assertThat(render("{{ current_memory | parse_memory | multiply(2) | format_memory }}")).isEqualTo("512Mi");
    assertThat(render("{{ current_memory|parse_memory|divide(4)|format_memory }}")).isEqualTo("64Mi");
    assertThat(render("{{ missing | default('none') | upper }}")).isEqualTo("NONE");
    assertThat(render("{{ missing | default(name) }}")).isEqualTo("app");
    assertThat(render("{{ replicas | add(2) | multiply(ratio) }}")).isEqualTo(2560.0);
    assertThat(render("{{ 0.25 | format_cpu }}")).isEqualTo("250m");
    assertThat(render("{{ '1500m' | parse_cpu | multiply(2) | format_cpu }}")).isEqualTo("3");
    assertThat(render("{{ 3.14159 | round(2) }}")).isEqualTo(3.14);
    assertThat(render("{{ incident.labels | json }}")).isEqualTo("{\"team\":\"sre\",\"tier\":\"web\"}");
    assertThat(render("{{ incident.labels | length }}")).isEqualTo(2L);
    assertThat(render("{{ '  x ' | trim | length }}")).isEqualTo(1L);
    assertThat(render("{{ 'SRE' | lower | base64 | base64_decode }}")).isEqualTo("sre");
  }

  @Test
  void pipesOnlySplitAtTopLevel() {
    assertThat(render("{{ flag || false }}")).isEqualTo(true);
    assertThat(render("{{ missing | default('a|b') }}")).isEqualTo("a|b");
    assertThat(render("{{ default(missing, 'x|y') | upper }}")).isEqualTo("X|Y");
    assertThat(render("{{ (false || flag) | json }}")).isEqualTo("true");
    assertThat(render("{{ 'closing }} inside a string' }}")).isEqualTo("closing }} inside a string");
  }

  @Test
  void mixedLiteralText() {
    assertThat(render("limit: {{ current_memory | parse_memory | multiply(2) | format_memory }} for {{ incident.resource.name }}"))
        .isEqualTo("limit: 512Mi for checkout");
    assertThat(render("ratio={{ ratio }} replicas={{ replicas }} none=[{{ missing }}]"))
        .isEqualTo("ratio=512 replicas=3 none=[]");
    assertThat(render("{{ 0.5 }}/{{ 1.25e2 }}/{{ 10L }}")).isEqualTo("0.5/125/10");
  }

  @Test
  void blockScalarWithSeveralExpressions() {
    String yaml = """
        apiVersion: apps/v1
        kind: {{ incident.resource.kind }}
        metadata:
          name: {{ incident.resource.name }}
          namespace: {{ incident.resource.namespace }}
          labels:
            team: {{ incident.labels.team | upper }}
        spec:
          replicas: {{ replicas | add(1) }}
          resources:
            limits:
              memory: {{ current_memory | parse_memory | multiply(2) | format_memory }}
        """;
    CompiledTemplate t = compiler.compileTemplate(yaml, ROOTS);
    assertThat(t.isLiteral()).isFalse();
    assertThat(t.referencedRoots()).containsExactly("incident", "replicas", "current_memory");
    assertThat(t.render(vars())).isEqualTo("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: checkout
          namespace: shop
          labels:
            team: SRE
        spec:
          replicas: 4
          resources:
            limits:
              memory: 512Mi
        """);
  }

  @Test
  void base64OfRegistryConfig() {
    assertThat(render("{{ base64(registry_config) }}"))
        .isEqualTo(Base64.getEncoder().encodeToString("{\"auths\":{}}".getBytes(StandardCharsets.UTF_8)));
    assertThat(render("{{ registry_config | base64 | base64_decode }}")).isEqualTo("{\"auths\":{}}");
  }

  @Test
  void literalTemplates() {
    CompiledTemplate t = compiler.compileTemplate("just text with { braces } and }}", ROOTS);
    assertThat(t.isLiteral()).isTrue();
    assertThat(t.referencedRoots()).isEmpty();
    assertThat(t.render(vars())).isEqualTo("just text with { braces } and }}");
    assertThat(t.renderString(Map.of())).isEqualTo("just text with { braces } and }}");
    assertThat(compiler.compileTemplate("", ROOTS).render(Map.of())).isEqualTo("");
  }

  @Test
  void dataIsNeverCode() {
    for (String data : List.of("{{ 7*7 }}", "${7*7}", "@{7*7}", "{{ current_memory }}", "@{Runtime.getRuntime()}")) {
      Map<String, Object> v = new HashMap<>(vars());
      v.put("name", data);
      assertThat(compiler.compileTemplate("a {{ name }} b", ROOTS).render(v)).isEqualTo("a " + data + " b");
      assertThat(compiler.compileTemplate("{{ name | trim }}", ROOTS).render(v)).isEqualTo(data);
      assertThat(compiler.compileTemplate("{{ name }}", ROOTS).render(v)).isEqualTo(data);
      assertThat(compiler.compileTemplate("{{ json(name) }}", ROOTS).render(v)).isEqualTo("\"" + data + "\"");
    }
  }

  @Test
  void templateErrorsCarryOffsets() {
    assertTemplateError("abc {{ name ", 4, "unclosed '{{'", ExpressionException.class);
    assertTemplateError("abc {{   }} def", 4, "empty '{{ }}'", ExpressionException.class);
    assertTemplateError("x {{ name | shout }}", 12, "unknown filter 'shout'", ExpressionException.class);
    assertTemplateError("x {{ name | uper }}", 12, "did you mean 'upper'?", ExpressionException.class);
    assertTemplateError("x {{ name | upper(1) }}", 12, "filter 'upper' cannot take 1 extra argument", ExpressionException.class);
    assertTemplateError("x {{ name | }}", 10, "expected a filter name", ExpressionException.class);
    assertTemplateError("abc {{ name.getClass() }}", 12, "method 'getClass' is not allowed", SandboxViolationException.class);
    assertTemplateError("ok {{ name }} then {{ nmae }}", 22, "did you mean 'name'?", SandboxViolationException.class);
    assertTemplateError("x {{ name | default(Runtime) }}", 20, "unknown variable 'Runtime'", SandboxViolationException.class);
    assertTemplateError("x {{ 'abc }}", 5, "unterminated string literal", ExpressionException.class);
  }

  private void assertTemplateError(String source, int offset, String reason, Class<? extends ExpressionException> type) {
    assertThatThrownBy(() -> compiler.compileTemplate(source, ROOTS))
        .isInstanceOf(type)
        .satisfies(t -> {
          ExpressionException e = (ExpressionException) t;
          assertThat(e.reason()).contains(reason);
          assertThat(e.offset()).as(e.getMessage()).isEqualTo(offset);
          assertThat(e.source()).isEqualTo(source);
        });
  }

  @Test
  void renderFailuresNameTheBlock() {
    CompiledTemplate t = compiler.compileTemplate("mem: {{ name | parse_memory }}", ROOTS);
    assertThatThrownBy(() -> t.render(vars()))
        .isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("parse_memory: 'app' is not a memory quantity")
        .hasMessageContaining("{{ name | parse_memory }}");
  }

  @Test
  void aBlockSharedByTemplatesIsReusedOnlyWhereItsRootsAreAllowedAndErrorsPointIntoEachTemplate() {
    var fresh = ExpressionCompiler.builder().withStandardFunctions().build();
    assertThat(fresh.compileTemplate("first {{ name | upper }}", Set.of("name")).render(Map.of("name", "web")))
        .isEqualTo("first WEB");
    // the same block in another template, where `name` is not declared: refused, at this template's offset
    assertThatThrownBy(() -> fresh.compileTemplate("second, longer {{ name | upper }}", Set.of("other")))
        .isInstanceOfSatisfying(UnknownVariableException.class, e -> {
          assertThat(e.name()).isEqualTo("name");
          assertThat(e.offset()).isEqualTo("second, longer {{ ".length());
        });
    assertThat(fresh.compileTemplate("third {{ name | upper }}!", Set.of("name", "x")).render(Map.of("name", "db")))
        .isEqualTo("third DB!");
    // a block that failed is not remembered: the same text fails again, pointing into the new template
    assertThatThrownBy(() -> fresh.compileTemplate("x {{ name | nope }}", Set.of("name")))
        .isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> fresh.compileTemplate("longer x {{ name | nope }}", Set.of("name")))
        .isInstanceOfSatisfying(ExpressionException.class, e -> assertThat(e.offset()).isGreaterThan(8));
  }

  @Test
  void templatesOfTheSameBlocksShareWhatTheyReadAndStillReadEveryBlock() {
    var fresh = ExpressionCompiler.builder().withStandardFunctions().build();
    Set<String> roots = Set.of("incident", "name");
    CompiledTemplate a = fresh.compileTemplate("{{ incident.resource.kind }} {{ name }}: rb-1", roots);
    CompiledTemplate b = fresh.compileTemplate("{{ incident.resource.kind }} {{ name }}: rb-2", roots);
    CompiledTemplate other = fresh.compileTemplate("{{ name }} {{ incident.resource.kind }}", roots);

    assertThat(b.referencedRoots()).isSameAs(a.referencedRoots()).containsExactly("incident", "name");
    assertThat(b.referencedPaths()).isSameAs(a.referencedPaths())
        .containsExactly(List.of("incident", "resource", "kind"), List.of("name"));
    // other blocks (here the same ones in another order) read in their own order
    assertThat(other.referencedRoots()).isNotSameAs(a.referencedRoots()).containsExactly("name", "incident");
    assertThatThrownBy(() -> a.referencedRoots().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> a.referencedPaths().clear()).isInstanceOf(UnsupportedOperationException.class);
    var vars = Map.of("incident", Map.of("resource", Map.of("kind", "Pod")), "name", "web");
    assertThat(b.render(vars)).isEqualTo("Pod web: rb-2");
    assertThat(fresh.compileTemplate("only {{ name }}", roots).referencedPaths()).containsExactly(List.of("name"));
  }
}
