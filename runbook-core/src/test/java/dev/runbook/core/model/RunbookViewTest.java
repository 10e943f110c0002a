package dev.runbook.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one plain view of a runbook's guardrails that the dashboard and MCP share. */
class RunbookViewTest {

    @Test
    void everySetGuardrailIsShownUnderItsYamlKeyWithStructuredValues() {
        Safety s = Safety.builder().requireApproval(true).maxExecutionsPerHour(5).blastRadiusLimit(3)
                .dryRunFirst(true).minConfidence(0.8).cooldown(Duration.ofMinutes(10))
                .minActionSpacing(Duration.ofMillis(1500)).maxExecutionsPerResourcePerHour(2).maxActionsPerHour(10)
                .maxActionPerResourcePerHour("restart-container", 3).maxActionPerResourcePerHour("evict", 1)
                .allowedNamespaces(List.of("shop", "billing")).replicas(1, 5).envWhitelist(List.of("LOG_LEVEL"))
                .resumeOnRecovery(true).pauseAfter(3, Duration.ofHours(1)).build();

        Map<String, Object> v = RunbookView.safety(s);

        assertThat(v.keySet()).containsExactly("require_approval", "dry_run_first", "max_executions_per_hour",
                "blast_radius_limit", "min_confidence", "cooldown", "min_action_spacing",
                "max_executions_per_resource_per_hour", "max_actions_per_hour", "max_action_per_resource_per_hour",
                "allowed_namespaces", "replicas", "env_whitelist", "resume_on_recovery", "pause_after");
        assertThat(v).containsEntry("cooldown", "10m").containsEntry("min_action_spacing", "1500ms")
                .containsEntry("min_confidence", 0.8)
                .containsEntry("max_action_per_resource_per_hour", Map.of("evict", 1, "restart-container", 3))
                .containsEntry("allowed_namespaces", List.of("billing", "shop"))
                .containsEntry("replicas", Map.of("min", 1, "max", 5))
                .containsEntry("pause_after", Map.of("failures", 3, "within", "1h"));
    }

    @Test
    void limitsThatAreNotSetAreAbsentKeys() {
        assertThat(RunbookView.safety(Safety.builder().build())).containsOnlyKeys("require_approval", "dry_run_first",
                "env_whitelist").containsEntry("env_whitelist", List.of());
    }

    @Test
    void theSummaryIsTheHeadlineInOrderAndCallersMayAddToIt() {
        Runbook rb = Runbook.builder("oom-increase-memory").name("Increase memory").version("3")
                .description("raise the limit").build();
        Map<String, Object> v = RunbookView.summary(rb);
        assertThat(v.keySet()).containsExactly("id", "name", "version", "description", "enabled");
        assertThat(v).containsEntry("id", "oom-increase-memory").containsEntry("version", "3")
                .containsEntry("enabled", true);
        v.put("trigger", Map.of());
        assertThat(RunbookView.summary(rb)).doesNotContainKey("trigger");
    }
}
