package dev.runbook.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.Incident;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one plain view of an execution that CLI, MCP, the dashboard and the audit trail share. */
class ExecutionViewTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Incident INCIDENT = Incident.builder("inc-1").symptomReason("CrashLoopBackOff")
            .rootCause("OOMKilled", 0.92).resource("Deployment", "shop", "web").build();

    private static StepResult step(String name, StepStatus status, boolean dryRun, Optional<Object> output,
                                   Optional<String> error, long startMs, long endMs) {
        var params = new LinkedHashMap<String, Object>();
        params.put("memory", "512Mi");
        params.put("timeout", Duration.ofMinutes(2));
        params.put("token", "***");
        return new StepResult(name, "patch_memory", status, dryRun, params, output, error, 1,
                status == StepStatus.SUCCEEDED && !dryRun
                        ? List.of(new TouchedResource("Deployment", "shop", "web", "memory 256Mi -> 512Mi"))
                        : List.of(),
                status == StepStatus.SUCCEEDED ? "patched Deployment shop/web" : "",
                T0.plusMillis(startMs), T0.plusMillis(endMs));
    }

    private static Execution rolledBack() {
        var next = new Execution("exec-2", "oom-restart", "1", "inc-1", ExecutionStatus.SUCCEEDED,
                new MatchReport(INCIDENT, List.of(), List.of()), List.of(), Optional.empty(), List.of(), List.of(),
                List.of(), List.of(), List.of(), Optional.empty(), "system", T0.plusSeconds(5), T0.plusSeconds(6));
        return new Execution("exec-1", "oom-increase-memory", "3", "inc-1", ExecutionStatus.ROLLED_BACK,
                new MatchReport(INCIDENT, List.of(), List.of()),
                List.of(GuardDecision.allow("enabled", "runbook is enabled"), GuardDecision.allow("rate_limit", "1 of 5")),
                Optional.of(ApprovalDecision.approve("alice", "looks right", T0.plusMillis(100))),
                List.of(step("Set memory", StepStatus.SUCCEEDED, true, Optional.of(Map.of("at", T0)),
                        Optional.empty(), 0, 20)),
                List.of(step("Set memory", StepStatus.SUCCEEDED, false, Optional.of("set 512Mi"), Optional.empty(),
                        200, 700)),
                List.of(step("Restore memory", StepStatus.FAILED, false, Optional.empty(),
                        Optional.of("API server said 409"), 800, 1500)),
                List.of("patched Deployment shop/web: memory 256Mi -> 512Mi"),
                List.of(new NotificationResult("slack", "rolled back", false, Optional.of("HTTP 500"))),
                Optional.of("verification failed: pod still OOMKilled"), "system", T0, T0.plusMillis(1500))
                .withEscalatedTo(next);
    }

    @Test
    void anExecutionIsSnakeCaseKeysInTheDocumentedOrderWithIsoTimesAndOneDurationFormat() {
        Map<String, Object> v = ExecutionView.of(rolledBack());

        assertThat(v.keySet()).containsExactly("execution_id", "status", "runbook_id", "runbook_version",
                "incident_id", "error", "executed_by", "approval", "started_at", "finished_at", "duration",
                "duration_ms", "incident", "guard_decisions", "dry_run_steps", "steps", "rollback_steps",
                "rollback_status", "actions_taken", "touched", "notifications", "escalated_to");
        assertThat(v).containsEntry("execution_id", "exec-1").containsEntry("status", "ROLLED_BACK")
                .containsEntry("started_at", "2026-03-01T12:00:00Z")
                .containsEntry("finished_at", "2026-03-01T12:00:01.500Z")
                .containsEntry("duration", "1500ms").containsEntry("duration_ms", 1500L)
                .containsEntry("rollback_status", "failed").containsEntry("escalated_to", "exec-2")
                .containsEntry("touched", List.of("Deployment/shop/web"))
                .containsEntry("approval", Map.of("approved", true, "approver", "alice", "reason", "looks right",
                        "decided_at", "2026-03-01T12:00:00.100Z"))
                .containsEntry("notifications", List.of(Map.of("channel", "slack", "message", "rolled back",
                        "sent", false, "error", "HTTP 500")));
        assertThat(v.get("incident")).isEqualTo(INCIDENT.toMap());
        assertThat(v).doesNotContainKey("refused_by");

        @SuppressWarnings("unchecked")
        var real = (Map<String, Object>) ((List<?>) v.get("steps")).get(0);
        assertThat(real.keySet()).containsExactly("name", "action", "status", "dry_run", "params", "output",
                "attempts", "touched", "summary", "started_at", "finished_at", "duration", "duration_ms");
        assertThat(real).containsEntry("dry_run", false).containsEntry("output", "set 512Mi")
                .containsEntry("duration", "500ms").containsEntry("duration_ms", 500L)
                .containsEntry("params", Map.of("memory", "512Mi", "timeout", "2m", "token", "***"));
        @SuppressWarnings("unchecked")
        var dry = (Map<String, Object>) ((List<?>) v.get("dry_run_steps")).get(0);
        assertThat(dry).containsEntry("dry_run", true).containsEntry("output", Map.of("at", "2026-03-01T12:00:00Z"));
        @SuppressWarnings("unchecked")
        var rollback = (Map<String, Object>) ((List<?>) v.get("rollback_steps")).get(0);
        assertThat(rollback).containsEntry("status", "FAILED").containsEntry("error", "API server said 409")
                .doesNotContainKey("output");
        assertPlain(v, "execution");
    }

    @Test
    void aRefusalNamesTheFirstGuardThatRefusedAndAbsentValuesAreAbsentKeys() {
        var denied = new Execution("exec-3", "oom-increase-memory", "3", "inc-1", ExecutionStatus.DENIED,
                new MatchReport(INCIDENT, List.of(), List.of()),
                List.of(GuardDecision.allow("enabled", "ok"), GuardDecision.deny("confidence", "0.50 < 0.90"),
                        GuardDecision.deny("rate_limit", "6 of 5")),
                Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of(),
                Optional.of("refused by confidence"), "system", T0, T0.plusSeconds(120));

        Map<String, Object> v = ExecutionView.of(denied);

        assertThat(v).containsEntry("refused_by", Map.of("guard", "confidence", "allowed", false,
                        "reason", "0.50 < 0.90"))
                .containsEntry("duration", "2m").containsEntry("duration_ms", 120_000L)
                .containsEntry("rollback_status", "none")
                .doesNotContainKeys("approval", "escalated_to");
        assertThat(ExecutionView.summary(denied).keySet()).containsExactly("execution_id", "status", "runbook_id",
                "runbook_version", "incident_id", "refused_by", "error", "executed_by", "started_at", "finished_at",
                "duration", "duration_ms");
        assertThat(ExecutionView.rollbackStatus(rolledBack().escalatedTo().orElseThrow())).isEqualTo("none");
        assertPlain(v, "execution");
    }

    @Test
    void theViewIsUnmodifiable() {
        Map<String, Object> v = ExecutionView.of(rolledBack());
        assertThatThrownBy(() -> v.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        var step = (Map<String, Object>) ((List<?>) v.get("steps")).get(0);
        assertThatThrownBy(() -> step.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        var params = (Map<String, Object>) step.get("params");
        assertThatThrownBy(() -> params.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    /** Only maps, lists, text, numbers and booleans, and no null anywhere. */
    private static void assertPlain(Object v, String path) {
        assertThat(v).as(path).isNotNull();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                assertThat(k).as(path + " key").isInstanceOf(String.class);
                assertPlain(x, path + "." + k);
            });
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                assertPlain(l.get(i), path + "[" + i + "]");
            }
        } else {
            assertThat(v).as(path).isInstanceOfAny(String.class, Number.class, Boolean.class);
        }
    }
}
