package dev.runbook.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Templates refuse a block without a value when asked to, and tell which paths they read (issue 17). */
class RenderRequiredTest {
    private final ExpressionCompiler compiler = ExpressionCompiler.standard();
    private final Map<String, Object> vars = Map.of("incident",
            Map.of("resource", Map.of("name", "web-1", "kind", "Pod")), "out", Map.of("id", "x"));

    @Test
    void aBlockWithoutAValueIsRefusedNamingTheMissingPath() {
        CompiledTemplate t = compiler.compileTemplate("deployment/{{ incident.resource.controller }}", Set.of("incident"));
        assertThat(t.renderString(vars)).isEqualTo("deployment/");
        assertThatThrownBy(() -> t.renderRequired(vars)).isInstanceOfSatisfying(MissingValueException.class, e -> {
            assertThat(e.path()).isEqualTo("incident.resource.controller");
            assertThat(e.root()).isEqualTo("incident");
            assertThat(e.getMessage()).isEqualTo("'incident.resource.controller' has no value; write '| default(...)' in"
                    + " the template if the step should run without it while evaluating"
                    + " 'deployment/{{ incident.resource.controller }}'");
        });
        CompiledTemplate single = compiler.compileTemplate("{{ out.missing.deeper }}", Set.of("out"));
        assertThatThrownBy(() -> single.renderRequired(vars)).isInstanceOfSatisfying(MissingValueException.class,
                e -> assertThat(e.path()).isEqualTo("out.missing"));
        CompiledTemplate unset = compiler.compileTemplate("{{ base64(creds) }}", Set.of("creds"));
        assertThatThrownBy(() -> unset.renderRequired(vars)).isInstanceOfSatisfying(MissingValueException.class,
                e -> assertThat(e.path()).isEqualTo("creds"));
    }

    @Test
    void aDefaultGivesTheBlockAValueWithALiteralOrAPathFallback() {
        assertThat(compiler.compileTemplate("{{ incident.resource.controller | default('none') }}", Set.of("incident"))
                .renderRequired(vars)).isEqualTo("none");
        assertThat(compiler.compileTemplate("d/{{ incident.resource.controller | default(incident.resource.name) }}",
                Set.of("incident")).renderRequired(vars)).isEqualTo("d/web-1");
        assertThat(compiler.compileExpression("default(incident.resource.controller, 'x') == 'x'", Set.of("incident"))
                .test(vars)).isTrue();
        assertThat(compiler.compileTemplate("{{ incident.resource.name }}", Set.of("incident")).renderRequired(vars))
                .isEqualTo("web-1");
    }

    @Test
    void pathsUnderRootsNotKnownYetMayBeMissing() {
        CompiledTemplate t = compiler.compileTemplate("{{ out.missing }}/{{ incident.resource.name }}",
                Set.of("incident", "out"));
        assertThat(t.renderRequired(vars, Set.of("out"))).isEqualTo("/web-1");
        CompiledTemplate incident = compiler.compileTemplate("{{ incident.resource.controller }}", Set.of("incident"));
        assertThatThrownBy(() -> incident.renderRequired(vars, Set.of("out"))).isInstanceOf(MissingValueException.class);
    }

    @Test
    void referencedPathsStopAtCallsAndIndexes() {
        CompiledTemplate t = compiler.compileTemplate("{{ incident.resource.name.toUpperCase() }} {{ out.list[0].x }}"
                + " {{ incident.resource.kind | lower }} {{ base64(out.id) }}", Set.of("incident", "out"));
        assertThat(t.referencedPaths()).containsExactlyInAnyOrder(List.of("incident", "resource", "name"),
                List.of("out", "list"), List.of("incident", "resource", "kind"), List.of("out", "id"));
        assertThat(compiler.compileExpression("incident.?resource.kind == 'Pod' && out != null", Set.of("incident", "out"))
                .referencedPaths()).containsExactlyInAnyOrder(List.of("incident", "resource", "kind"), List.of("out"));
    }
}
