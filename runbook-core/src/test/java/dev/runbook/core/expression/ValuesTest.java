package dev.runbook.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void freezingIsDeepReadOnlyAndIdempotent() {
        var inner = new ArrayList<Object>(List.of(1, 2));
        var raw = new HashMap<String, Object>(Map.of("list", inner, "n", 3));
        Object frozen = Values.freeze(raw);
        assertThat(Values.isFrozen(frozen)).isTrue();
        assertThat(Values.freeze(frozen)).isSameAs(frozen);
        inner.add(99); // the caller changing its data later does not reach the frozen copy
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) frozen;
        assertThat(m.get("list")).isEqualTo(List.of(1, 2));
        assertThatThrownBy(() -> m.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) m.get("list");
        assertThatThrownBy(() -> list.add(1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void frozenVariablesEvaluateLikeCopiedOnes() {
        var vars = new HashMap<String, Object>();
        vars.put("incident", Map.of("rca_confidence", 0.92, "root_cause_reason", "OOMKilled",
                "resource", Map.of("name", "web-1")));
        vars.put("new_failures", 0L);
        vars.put("missing", null);
        Map<String, Object> frozen = Values.freezeVariables(vars);
        ExpressionCompiler c = ExpressionCompiler.standard();
        Set<String> roots = Set.of("incident", "new_failures", "missing");
        for (String src : List.of("new_failures == 0", "incident.rca_confidence >= 0.8 && incident.root_cause_reason == 'OOMKilled'",
                "incident.resource.name.startsWith('web')", "missing == null")) {
            CompiledExpression e = c.compileExpression(src, roots);
            assertThat(e.evaluate(frozen)).as(src).isEqualTo(e.evaluate(vars)).isEqualTo(true);
        }
        assertThat(c.compileTemplate("{{ incident.resource.name }}-{{ new_failures }}", roots).render(frozen))
                .isEqualTo("web-1-0");
    }

    @Test
    void aMissingKeyIsNamedInWordsAnAuthorUnderstands() {
        Map<String, Object> frozen = Values.freezeVariables(Map.of("incident", Map.of("attributes", Map.of("x", 1))));
        CompiledExpression e = ExpressionCompiler.standard().compileExpression("incident.attributes.cpu_percent > 90",
                Set.of("incident"));
        assertThatThrownBy(() -> e.evaluate(frozen)).isInstanceOf(ExpressionEvaluationException.class)
                .hasMessageContaining("no value named 'cpu_percent' (use .? or default(...) for optional values)")
                .hasMessageNotContaining("FrozenMap");
    }
}
