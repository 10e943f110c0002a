package dev.runbook.dsl.fluent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Runbook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Checks the Java fixtures against the seed 000 YAML text itself (copied here from the seed, with its comments),
 * read with plain snakeyaml-engine: every step's name, action, params (block-scalar documents read as trees),
 * output_var and expect, the trigger, and the notification messages. This is independent of the module's YAML
 * loader, so a slip in a fixture (a lost trailing newline, a wrong key) shows here first.
 */
class SeedParityWithYamlTextTest {
    private static final Set<String> DOCUMENT_PARAMS = Set.of("patch", "manifest", "body");

    @Test
    void fullSchemaRunbookMatchesTheSeedText() {
        Map<String, Object> yaml = load(SeedYamlText.FULL_SCHEMA);
        Runbook rb = SeedRunbooksInJava.oomKilledIncreaseMemory();

        assertHeader(rb, yaml);
        assertSteps(rb.steps().actionSteps(), yaml.get("steps"));
        assertSteps(rb.rollback().stream().map(ActionStep.class::cast).toList(), yaml.get("rollback"));
        Map<String, Object> notification = map(yaml.get("notification"));
        assertThat(rb.notifications().onSuccess()).singleElement().satisfies(n -> {
            assertThat(n.channel()).isEqualTo("slack");
            assertThat(n.params()).isEqualTo(ParamValue.of(map(notification.get("on_success")).get("slack")));
        });
        assertThat(rb.notifications().onFailure()).singleElement().satisfies(n ->
                assertThat(n.params()).isEqualTo(ParamValue.of(map(notification.get("on_failure")).get("slack"))));
        Map<String, Object> safety = map(yaml.get("safety"));
        assertThat(rb.safety().requireApproval()).isEqualTo(safety.get("require_approval"));
        assertThat(rb.safety().maxExecutionsPerHour().getAsInt()).isEqualTo(safety.get("max_executions_per_hour"));
        assertThat(rb.safety().blastRadiusLimit().getAsInt()).isEqualTo(safety.get("blast_radius_limit"));
        assertThat(rb.safety().dryRunFirst()).isEqualTo(safety.get("dry_run_first"));
    }

    @Test
    void exampleRunbooksMatchTheSeedText() {
        for (var pair : List.of(
                Map.entry(SeedYamlText.SHORT_OOM, SeedRunbooksInJava.oomKilledShortExample()),
                Map.entry(SeedYamlText.IMAGE_PULL, SeedRunbooksInJava.imagePullBackOffFixAuth()),
                Map.entry(SeedYamlText.NODE_NOT_READY, SeedRunbooksInJava.nodeNotReadyCordonDrain()))) {
            Map<String, Object> yaml = load(pair.getKey());
            Runbook rb = pair.getValue();
            assertHeader(rb, yaml);
            assertSteps(rb.steps().actionSteps(), yaml.get("steps"));
            Map<String, Object> safety = map(yaml.getOrDefault("safety", Map.of()));
            assertThat(rb.safety().requireApproval()).isEqualTo(safety.getOrDefault("require_approval", false));
            assertThat(rb.safety().dryRunFirst()).isEqualTo(safety.getOrDefault("dry_run_first", false));
        }
    }

    private static void assertHeader(Runbook rb, Map<String, Object> yaml) {
        assertThat(rb.id()).isEqualTo(yaml.get("id"));
        assertThat(rb.name()).isEqualTo(yaml.getOrDefault("name", yaml.get("id")));
        assertThat(rb.version()).isEqualTo(String.valueOf(yaml.getOrDefault("version", "1")));
        assertThat(rb.author()).isEqualTo(yaml.getOrDefault("author", ""));
        Map<String, Object> trigger = map(yaml.get("trigger"));
        assertThat(rb.trigger().rootCauseReasons()).containsExactly((String) trigger.get("root_cause_reason"));
        assertThat(rb.trigger().symptomReasons()).containsExactlyElementsOf(strings(trigger.get("symptom_reason")));
        assertThat(rb.trigger().minConfidence()).isEqualTo(trigger.get("min_confidence"));
        assertThat(rb.trigger().resourceKinds())
                .containsExactlyElementsOf(strings(trigger.get("affected_resource_kinds")));
    }

    private static void assertSteps(List<ActionStep> steps, Object yamlSteps) {
        List<?> expected = (List<?>) yamlSteps;
        assertThat(steps).hasSameSizeAs(expected);
        for (int i = 0; i < steps.size(); i++) {
            ActionStep step = steps.get(i);
            Map<String, Object> y = map(expected.get(i));
            var params = new LinkedHashMap<>(map(y.getOrDefault("params", Map.of())));
            // the seed nests expect under params of check_neo4j; it belongs to the step
            Object expect = params.remove("expect");
            params.replaceAll((k, v) -> DOCUMENT_PARAMS.contains(k) ? load(String.valueOf(v)) : v);
            assertThat(step.name()).isEqualTo(y.get("name"));
            assertThat(step.action()).isEqualTo(y.get("action"));
            assertThat(step.params()).as(step.name()).isEqualTo(ParamValue.of(params));
            assertThat(step.outputVar().orElse(null)).isEqualTo(y.get("output_var"));
            assertThat(step.expect().orElse(null)).isEqualTo(expect);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String text) {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(text);
        Map<String, Object> m = (Map<String, Object>) doc;
        return m.containsKey("runbook") ? (Map<String, Object>) m.get("runbook") : m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<String> strings(Object o) {
        var out = new ArrayList<String>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add((String) x));
        } else if (o != null) {
            out.add((String) o);
        }
        return out;
    }
}
