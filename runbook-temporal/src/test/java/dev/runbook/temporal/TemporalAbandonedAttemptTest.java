package dev.runbook.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An action deaf to interrupts on a Temporal worker: as in-process, the worker abandons the attempt after its timeout
 * and grace, waits for it, and when it still runs the workflow ends {@code ABANDONED} without starting the rollback,
 * which the late write could otherwise overwrite.
 */
class TemporalAbandonedAttemptTest {
    private static final String DEAF = """
            runbook:
              id: deaf-fix
              name: "Deaf fix"
              version: 1.0
              trigger: {root_cause_reason: "OOMKilled", min_confidence: 0.5}
              safety: {dry_run_first: false}
              steps:
                - name: "Set marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "on"}
                - name: "Deaf change"
                  action: flaky_change
                  params: {fail_times: 0, retryable: false, hold: true}
                  timeout: 1
              rollback:
                - name: "Unset marker"
                  action: set_marker
                  params: {target: "{{ incident.resource.name }}", value: "off"}
            """;
    private static final Duration GRACE = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofMillis(300);

    private final TestActions markers = new TestActions();
    private final FlakyActions flaky = new FlakyActions();
    @RegisterExtension
    final TemporalTestServer server = new TemporalTestServer(() -> flaky.release.countDown());

    private Runbook runbook() {
        ActionRegistry registry = ActionRegistry.builder().provider(new BuiltinActions()).provider(markers)
                .provider(flaky).build();
        return TemporalTestServer.load(DEAF, "deaf.yaml", registry);
    }

    @Test
    void anAttemptThatOutlivesTheWorkersWaitEndsTheWorkflowAbandonedWithNoRollback() {
        RunbookEngine engine = RunbookEngine.builder().discoverActions(false).runbook(runbook())
                .actionProvider(new BuiltinActions()).actionProvider(markers).actionProvider(flaky)
                .guardStore(new InMemoryGuardStore()).attemptGrace(GRACE).abandonedAttemptWait(WAIT)
                .closeGrace(Duration.ZERO).closeTimeout(Duration.ofSeconds(5))
                .executionBackend(TemporalBackend.builder().client(server.env().getWorkflowClient())
                        .attemptGrace(GRACE).abandonedAttemptWait(WAIT).build())
                .build();
        server.closeAfter(engine);
        server.workers(engine);
        Incident incident = Incident.builder("event-1").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource(ResourceRef.of("Pod", "shop", "web-1")).build();

        Execution e = engine.handle(incident);

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.ABANDONED);
        assertThat(e.steps()).extracting(StepResult::name).containsExactly("Set marker", "Deaf change");
        assertThat(e.rollbackSteps()).isEmpty();
        assertThat(e.error()).hasValueSatisfying(m -> assertThat(m)
                .contains("attempt 1 of step 'Deaf change' was still running 300ms later: a change may still be in "
                        + "flight, the rollback was not started")
                .endsWith("this engine's locks stay held until their ttl (5m) runs out"));
        // the rollback never ran: the deaf attempt could still have overwritten it
        assertThat(markers.changes).containsExactly("Set marker=on");
        assertThat(flaky.calls).containsExactly("Deaf change#1");
        // its resource stays locked: the attempt may still be writing there
        Execution meanwhile = engine.handle(Incident.builder("event-2").symptomReason("CrashLoopBackOff")
                .rootCause("OOMKilled", 0.9).resource(ResourceRef.of("Pod", "shop", "web-1")).build());
        assertThat(meanwhile.status()).isEqualTo(ExecutionStatus.DENIED);
    }
}
