package dev.runbook.core.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Paths into the incident are checked at compile time; names nothing defines are the host's to supply (issue 17). */
class StrictTemplatesCompileTest {
    private final ActionRegistry actions = ActionRegistry.builder().provider(new BuiltinActions()).build();
    private final RunbookCompiler compiler = new RunbookCompiler(actions, ExpressionCompiler.standard());

    private static String line(Problem p) {
        return p.severity() + " " + p.path() + ": " + p.message();
    }

    @Test
    void everyMisspelledIncidentPathIsAnErrorWithADidYouMeanInTemplatesAndConditions() {
        Runbook rb = Runbook.builder("typos")
                .trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").when("incident.resource.knd == 'Pod'").build())
                .step(ActionStep.builder("restart", "log")
                        .param("message", "deployment/{{ incident.resource.controler }}").build())
                .step(ActionStep.builder("say", "log").param("message", "{{ incident.rca_confidance }}")
                        .when("incident.symptom_reasn != ''").build())
                .build();
        assertThat(compiler.validate(List.of(rb))).extracting(StrictTemplatesCompileTest::line).containsExactlyInAnyOrder(
                "ERROR steps[0].params.message: unknown field 'incident.resource.controler' (did you mean"
                        + " 'incident.resource.controller'?) in 'deployment/{{ incident.resource.controler }}'",
                "ERROR steps[1].when: unknown field 'incident.symptom_reasn' (did you mean 'incident.symptom_reason'?)"
                        + " in 'incident.symptom_reasn != '''",
                "ERROR steps[1].params.message: unknown field 'incident.rca_confidance' (did you mean"
                        + " 'incident.rca_confidence'?) in '{{ incident.rca_confidance }}'",
                "ERROR trigger.when: unknown field 'incident.resource.knd' (did you mean 'incident.resource.kind'?)"
                        + " in 'incident.resource.knd == 'Pod''");
    }

    @Test
    void labelsAttributesAndTheChainStayDynamicAndValuesHaveNoFields() {
        Runbook ok = Runbook.builder("dynamic")
                .step(ActionStep.builder("say", "log").param("message", "{{ incident.attributes.memory_percent }}"
                        + " {{ incident.labels.team | default('none') }} {{ incident.causal_chain[0].cause_reason }}"
                        + " {{ incident.resource.name.length() }} {{ incident.resource.controller | upper }}").build())
                .build();
        assertThat(compiler.validate(List.of(ok))).isEmpty();
        Runbook bad = Runbook.builder("value")
                .step(ActionStep.builder("say", "log").param("message", "{{ incident.cluster.name }}").build()).build();
        assertThat(compiler.validate(List.of(bad))).extracting(StrictTemplatesCompileTest::line).containsExactly(
                "ERROR steps[0].params.message: 'incident.cluster' is a single value; it has no field 'name'"
                        + " in '{{ incident.cluster.name }}'");
    }

    @Test
    void aNameNothingDefinesIsAHostParameterWithAWarningAndCompiles() {
        Runbook rb = Runbook.builder("creds")
                .step(ActionStep.builder("apply", "log").param("message", "{{ base64(registry_config) }}").build())
                .step(ActionStep.builder("again", "log").param("message", "{{ registry_config }}").build())
                .build();
        assertThat(compiler.validate(List.of(rb))).extracting(StrictTemplatesCompileTest::line).containsExactly(
                "WARNING steps[0].params.message: unknown variable 'registry_config' (known: execution, incident) in"
                        + " '{{ base64(registry_config) }}': the host must supply it; declare it in parameters: or as a"
                        + " host parameter",
                "WARNING steps[1].params.message: unknown variable 'registry_config' (known: execution, incident) in"
                        + " '{{ registry_config }}': the host must supply it; declare it in parameters: or as a host parameter");
        CompiledRunbook c = compiler.compileAll(List.of(rb)).get("creds");
        assertThat(c.hostParameters()).containsExactly(Map.entry("registry_config", "steps[0].params.message"));
        assertThat(c.steps().get(0)).isInstanceOfSatisfying(CompiledStep.Call.class,
                call -> assertThat(call.params().readsSecrets()).isTrue());
    }

    @Test
    void declaredHostParametersAreAcceptedAndTyposOfThemAreErrors() {
        var withHost = new RunbookCompiler(actions, ExpressionCompiler.standard(), Set.of("registry_config"));
        Runbook ok = Runbook.builder("creds")
                .step(ActionStep.builder("apply", "log").param("message", "{{ base64(registry_config) }}").build()).build();
        assertThat(withHost.validate(List.of(ok))).isEmpty();
        assertThat(withHost.compileAll(List.of(ok)).get("creds").hostParameters()).containsOnlyKeys("registry_config");

        Runbook typo = Runbook.builder("typo")
                .step(ActionStep.builder("apply", "log").param("message", "{{ registry_confg }}").build()).build();
        assertThat(withHost.validate(List.of(typo))).singleElement().satisfies(p -> {
            assertThat(p.isError()).isTrue();
            assertThat(p.message()).contains("unknown variable 'registry_confg'").contains("did you mean 'registry_config'?");
        });
    }

    @Test
    void typosOfKnownNamesBuiltInsAndLaterOutputsStayErrors() {
        Runbook rb = Runbook.builder("scoped")
                .step(ActionStep.builder("early", "log").param("message", "{{ later }} {{ curent_memory }}").build())
                .step(ActionStep.builder("get", "set").param("value", 1).outputVar("current_memory").build())
                .step(ActionStep.builder("late", "set").param("value", "{{ current_memroy }}").outputVar("later").build())
                .notifications(new Notifications(List.of(new Notification("slack",
                        ParamValue.mapOf(Map.of("message", "{{ error_message }}")))), List.of()))
                .build();
        assertThat(compiler.validate(List.of(rb))).allSatisfy(p -> assertThat(p.isError()).as(p.toString()).isTrue())
                .extracting(Problem::path).containsExactlyInAnyOrder("steps[0].params.message", "steps[2].params.value",
                        "notification.on_success.slack.message");
    }
}
