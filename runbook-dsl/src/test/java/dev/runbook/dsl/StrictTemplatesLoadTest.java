package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Issue 17: misspelled incident fields used to validate and render empty; now the load refuses them. */
class StrictTemplatesLoadTest {
    /** The runbook: the seed's ImagePullBackOff one with two misspelled incident fields. */
    private static final String MISSPELLED = """
            runbook:
              id: imagepullbackoff-fix-auth-v1
              trigger:
                root_cause_reason: "ImagePullBackOff"
                min_confidence: 0.75
              steps:
                - name: "Restart pods"
                  action: kubectl_rollout_restart
                  params:
                    resource: "deployment/{{ incident.resource.controler }}"
              notification:
                on_success:
                  slack:
                    channel: "#incidents"
                    message: "restarted at confidence {{ incident.rca_confidance }}"
            """;

    @Test
    void bothTyposAreRefusedWithTheirPositionAndADidYouMean() {
        LoadResult result = RunbookLoader.builder().build().loadString(MISSPELLED, "issue17.yaml");
        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(Diagnostic::toString).containsExactly(
                "issue17.yaml:10:19: steps[0].params.resource: unknown field 'incident.resource.controler' (did you mean"
                        + " 'incident.resource.controller'?) in 'deployment/{{ incident.resource.controler }}'",
                "issue17.yaml:15:18: notification.on_success.slack.message: unknown field 'incident.rca_confidance'"
                        + " (did you mean 'incident.rca_confidence'?) in 'restarted at confidence"
                        + " {{ incident.rca_confidance }}'");
        assertThatThrownBy(result::runbooksOrThrow).isInstanceOf(RunbookLoadException.class)
                .hasMessageContaining("issue17.yaml:10:19").hasMessageContaining("issue17.yaml:15:18");
    }

    @Test
    void correctedTheRunbookLoads() {
        LoadResult result = RunbookLoader.builder().build().loadString(MISSPELLED.replace("controler", "controller")
                .replace("confidance", "confidence"), "issue17.yaml");
        assertThat(result.diagnostics()).isEmpty();
    }
}
