package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The YAML fields the seed files do not exercise load into the model as the README describes. */
class YamlLoaderGoodPathTest {
    private final RunbookLoader loader = RunbookLoader.builder().build();

    private Runbook load(String yaml) {
        LoadResult r = loader.loadString(yaml, "rb.yaml");
        assertThat(r.diagnostics()).isEmpty();
        return r.runbooksOrThrow().get(0);
    }

    private List<String> problems(String yaml) {
        return loader.loadString(yaml, "rb.yaml").diagnostics().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void nestedBranchesKeepTheirStructure() {
        Runbook rb = load("""
                runbook:
                  id: branches-v1
                  steps:
                    - name: Decide
                      if: "incident.attributes.error_rate_percent > 20"
                      then:
                        - name: Roll back
                          action: rollback-deployment
                          params: {container: web}
                      else:
                        - name: Decide again
                          if: "incident.attributes.error_rate_percent > 10"
                          when: "incident.resource.kind == 'Container'"
                          on_failure: continue
                          then:
                            - name: Restart
                              action: restart-container
                              params: {container: web}
                          else:
                            - name: Scale
                              action: scale-service
                              params: {service: web, replicas: 2}
                """);
        var decide = (BranchStep) rb.steps().steps().get(0);
        assertThat(decide.condition()).isEqualTo("incident.attributes.error_rate_percent > 20");
        assertThat(decide.then()).singleElement().extracting(s -> ((ActionStep) s).action()).isEqualTo("rollback-deployment");
        var again = (BranchStep) decide.otherwise().get(0);
        assertThat(again.when()).hasValue("incident.resource.kind == 'Container'");
        assertThat(again.onFailure()).isEqualTo(OnFailure.CONTINUE);
        assertThat(again.then()).extracting(s -> s.name()).containsExactly("Restart");
        assertThat(((ActionStep) again.otherwise().get(0)).params().entries().get("replicas")).isEqualTo(ParamValue.of(2L));
        assertThat(rb.steps().flatten()).extracting(s -> s.name())
                .containsExactly("Decide", "Roll back", "Decide again", "Restart", "Scale");
    }

    @Test
    void retryAsANumberOrAMapAndDurationsInEveryForm() {
        Runbook rb = load("""
                runbook:
                  id: retry-v1
                  safety:
                    cooldown: 1h
                    min_action_spacing: 1.5
                  steps:
                    - name: Three attempts
                      action: restart-container
                      params: {container: web}
                      retry: 3
                      timeout: 250ms
                    - name: Full policy
                      action: restart-container
                      params: {container: web}
                      retry: {attempts: 5, backoff: 2s, multiplier: 3, max_backoff: 1m}
                      timeout: PT5M
                    - name: Long backoff
                      action: restart-container
                      params: {container: web}
                      retry: {attempts: 2, backoff: 45}
                      timeout: 1d
                """);
        List<ActionStep> steps = rb.steps().actionSteps();
        assertThat(steps.get(0).retry()).isEqualTo(new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30)));
        assertThat(steps.get(0).timeout()).hasValue(Duration.ofMillis(250));
        assertThat(steps.get(1).retry()).isEqualTo(new RetryPolicy(5, Duration.ofSeconds(2), 3.0, Duration.ofMinutes(1)));
        assertThat(steps.get(1).timeout()).hasValue(Duration.ofMinutes(5));
        // max_backoff defaults to 30 s, or to the backoff when that is longer
        assertThat(steps.get(2).retry()).isEqualTo(new RetryPolicy(2, Duration.ofSeconds(45), 2.0, Duration.ofSeconds(45)));
        assertThat(steps.get(2).timeout()).hasValue(Duration.ofDays(1));
        assertThat(rb.safety().cooldown()).hasValue(Duration.ofHours(1));
        assertThat(rb.safety().minActionSpacing()).hasValue(Duration.ofMillis(1500));
    }

    @Test
    void parametersLabelsEnabledAndNotifications() {
        Runbook rb = load("""
                runbook:
                  id: header-v1
                  enabled: false
                  labels: {team: payments, tier: "1"}
                  parameters:
                    - name: webhook_url
                      description: where to post
                    - name: replicas
                      default: 3
                    - name: token
                      secret: true
                      required: false
                    - name: tags
                      default: [a, b]
                      required: true
                  steps:
                    - name: Scale
                      action: scale-service
                      params: {service: web, replicas: 2}
                  notification:
                    on_success:
                      slack: {channel: "#ops", message: "scaled {{ incident.resource.name }}"}
                      webhook: {url: "{{ webhook_url }}", method: POST}
                    on_failure:
                      webhook: {url: "{{ webhook_url }}", method: POST}
                      slack: {channel: "#ops", message: "failed: {{ error_message }}"}
                """);
        assertThat(rb.enabled()).isFalse();
        assertThat(rb.labels()).containsExactly(Map.entry("team", "payments"), Map.entry("tier", "1"));
        assertThat(rb.parameters()).containsExactly(
                new Parameter("webhook_url", "where to post", Optional.empty(), false, true),
                new Parameter("replicas", "", Optional.of(ParamValue.of(3L)), false, false),
                new Parameter("token", "", Optional.empty(), true, false),
                new Parameter("tags", "", Optional.of(ParamValue.of(List.of("a", "b"))), false, true));
        assertThat(rb.notifications().onSuccess()).extracting(Notification::channel).containsExactly("slack", "webhook");
        assertThat(rb.notifications().onFailure()).extracting(Notification::channel).containsExactly("webhook", "slack");
        assertThat(rb.notifications().onFailure().get(1).params().entries().get("message"))
                .isEqualTo(ParamValue.of("failed: {{ error_message }}"));
    }

    @Test
    void problemsInsideAPatchBlockScalarAreReportedAtTheirFilePosition() {
        assertThat(problems("""
                runbook:
                  id: patch-v1
                  steps:
                    - name: Patch
                      action: kubectl_patch
                      params:
                        resource: deployment
                        patch: |
                          spec:
                            replicas: 2
                            template:
                              metadata:
                                labels:
                                  app: "{{ incident.resource.nmae"
                                  owner: "{{ undefined_var }}"
                """)).containsExactly(
                "rb.yaml:14:24: steps[0].params.patch.spec.template.metadata.labels.app: unclosed '{{' in "
                        + "'{{ incident.resource.nmae'",
                "rb.yaml:15:26: warning: steps[0].params.patch.spec.template.metadata.labels.owner: unknown variable "
                        + "'undefined_var' (known: execution, incident) in '{{ undefined_var }}'"
                        + ": the host must supply it; declare it in parameters: or as a host parameter");
    }

    @Test
    void aDuplicateKeyIsReportedAtTheSecondOccurrence() {
        assertThat(problems("""
                runbook:
                  id: dup-v1
                  steps:
                    - name: Restart
                      action: restart-container
                      params:
                        container: web
                        container: api
                """)).containsExactly("rb.yaml:8:9: duplicate key 'container' (first at line 7); remove one of them");
    }
}
