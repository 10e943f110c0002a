package dev.runbook.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Filter pipelines on a plain path run on a fast path; they must give what the composed form gives. */
class PipelineFastPathTest {
    private final ExpressionCompiler compiler = ExpressionCompiler.standard();
    private final Set<String> roots = Set.of("m", "incident", "name", "n");
    private final Map<String, Object> vars = new HashMap<>(Map.of("m", "256Mi", "name", " Web-1 ", "n", 7L,
            "incident", Map.of("resource", Map.of("name", "web-1"), "rca_confidence", 0.925)));

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "m | parse_memory | multiply(2); multiply(parse_memory(m), 2)",
        "m | parse_memory | multiply(2) | format_memory; format_memory(multiply(parse_memory(m), 2))",
        "m | parse_memory | divide(3); divide(parse_memory(m), 3)",
        "name | trim | upper; upper(trim(name))",
        "incident.resource.name | default('none') | length; length(default(incident.resource.name, 'none'))",
        "incident.missing | default(\"none\"); default(incident.?missing, \"none\")",
        "incident.rca_confidence | round(1); round(incident.rca_confidence, 1)",
        "n | add(-2.5); add(n, -2.5)",
        "incident | json; json(incident)"})
    void givesWhatTheComposedFormGives(String piped, String composed) {
        Object fast = compiler.compileTemplate("{{ " + piped + " }}", roots).render(vars);
        Object slow = compiler.compileExpression(composed, roots).evaluate(vars);
        assertThat(fast).isEqualTo(slow);
        assertThat(compiler.compileTemplate("{{ " + piped + " }}", roots)
                .render(Values.freezeVariables(vars))).isEqualTo(slow);
    }

    @Test
    void helperErrorsNameTheTemplate() {
        vars.put("m", "lots");
        assertThatThrownBy(() -> compiler.compileTemplate("mem={{ m | parse_memory }}", roots).render(vars))
                .isInstanceOf(ExpressionEvaluationException.class)
                .hasMessageContaining("parse_memory: 'lots' is not a memory quantity")
                .hasMessageContaining("{{ m | parse_memory }}");
    }

    @Test
    void aPathThroughSomethingOtherThanAMapFallsBackToTheFullEvaluator() {
        vars.put("incident", Map.of("resource", "not-a-map"));
        assertThatThrownBy(() -> compiler.compileTemplate("{{ incident.resource.name | upper }}", roots).render(vars))
                .isInstanceOf(ExpressionEvaluationException.class);
    }
}
