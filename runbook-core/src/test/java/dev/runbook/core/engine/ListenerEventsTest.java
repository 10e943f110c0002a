package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.failing;
import static dev.runbook.core.engine.EngineTestSupport.oomIncident;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.approval.PendingApprovals;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole life of an execution as its listeners hear it, in order, and listeners that throw change nothing. */
class ListenerEventsTest {
    private final TestClock clock = new TestClock();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final ExecutionListener recorder = new ExecutionListener() {
        @Override
        public void executionStarted(String executionId, Incident incident, MatchReport match) {
            events.add("start " + incident.incidentId() + " -> "
                    + match.best().map(Runbook::id).orElse("none") + " " + match.matches().size() + " match(es)");
        }

        @Override
        public void guardDecided(String executionId, String runbookId, GuardDecision d) {
            events.add("guard " + d.guard() + " " + (d.allowed() ? "allow" : "deny"));
        }

        @Override
        public void approvalRequested(ApprovalRequest request) {
            events.add("approval requested " + request.runbookId());
        }

        @Override
        public void stepStarted(String executionId, String runbookId, StepResult.Start step) {
            events.add("step started " + step.name() + (step.dryRun() ? " (dry)" : ""));
        }

        @Override
        public void stepFinished(String executionId, String runbookId, StepResult r) {
            events.add("step finished " + r.name() + (r.dryRun() ? " (dry) " : " ") + r.status());
        }

        @Override
        public void rollbackStarted(String executionId, String runbookId, String reason) {
            events.add("rollback " + reason);
        }

        @Override
        public void executionFinished(Execution e) {
            events.add("finished " + e.status());
        }
    };

    /** Throws on every event: the execution and the second listener must not notice. */
    private static final ExecutionListener BROKEN = new ExecutionListener() {
        @Override
        public void executionStarted(String executionId, Incident incident, MatchReport match) {
            throw new IllegalStateException("broken listener");
        }

        @Override
        public void guardDecided(String executionId, String runbookId, GuardDecision d) {
            throw new IllegalStateException("broken listener");
        }

        @Override
        public void approvalRequested(ApprovalRequest request) {
            throw new AssertionError("broken listener");
        }

        @Override
        public void stepStarted(String executionId, String runbookId, StepResult.Start step) {
            throw new IllegalStateException("broken listener");
        }

        @Override
        public void rollbackStarted(String executionId, String runbookId, String reason) {
            throw new IllegalStateException("broken listener");
        }
    };

    private static Trigger oom() {
        return Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.8).build();
    }

    private RunbookEngine.Builder engine(Runbook rb, dev.runbook.core.action.Action... actions) {
        return RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb).actions(actions)
                .listener(BROKEN).listener(recorder);
    }

    @Test
    void aSuccessIsHeardFromMatchThroughGuardsDryRunAndStepsToTheEnd() {
        Runbook rb = Runbook.builder("ok").trigger(oom()).safety(Safety.builder().dryRunFirst(true).build())
                .step(ActionStep.builder("patch", "touch").build())
                .build();
        Execution e = engine(rb, FakeCluster.touch("touch")).build().handle(oomIncident("i1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(events).containsExactly(
                "start i1 -> ok 1 match(es)",
                "guard enabled allow",
                "guard confidence allow",
                "guard dedupe allow",
                "guard rate_limit allow",
                "step started patch (dry)",
                "step finished patch (dry) SUCCEEDED",
                "guard dry_run allow",
                "step started patch",
                "step finished patch SUCCEEDED",
                "finished SUCCEEDED");
    }

    @Test
    void aDenialStopsAtTheDenyingGuard() {
        Runbook rb = Runbook.builder("ok").trigger(oom()).step(ActionStep.builder("patch", "touch").build()).build();
        RunbookEngine engine = engine(rb, FakeCluster.touch("touch")).build();
        engine.killSwitch().engage("maintenance");

        Execution e = engine.handle(oomIncident("i2"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(events).containsExactly("start i2 -> ok 1 match(es)", "guard enabled deny", "finished DENIED");
    }

    @Test
    void aFailureIsHeardRollingBackBeforeTheEnd() {
        Runbook rb = Runbook.builder("fails").trigger(oom())
                .step(ActionStep.builder("patch", "touch").build())
                .step(ActionStep.builder("verify", "boom").build())
                .rollbackStep(ActionStep.builder("undo", "touch").build())
                .build();
        Execution e = engine(rb, FakeCluster.touch("touch"), failing("boom", "still crashing")).build()
                .handle(oomIncident("i3"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(events).containsExactly(
                "start i3 -> fails 1 match(es)",
                "guard enabled allow",
                "guard confidence allow",
                "guard dedupe allow",
                "guard rate_limit allow",
                "step started patch",
                "step finished patch SUCCEEDED",
                "step started verify",
                "step finished verify FAILED",
                "rollback step 'verify' failed: still crashing",
                "step started undo",
                "step finished undo SUCCEEDED",
                "finished ROLLED_BACK");
    }

    @Test
    void anIncidentNobodyMatchesGivesOnlyTheStartAndTheEnd() {
        Runbook rb = Runbook.builder("ok").trigger(oom()).step(ActionStep.builder("patch", "touch").build()).build();
        Incident other = Incident.builder("i4").rootCause("ImagePullBackOff", 0.9)
                .resource("Pod", "default", "web-1").build();

        Execution e = engine(rb, FakeCluster.touch("touch")).build().handle(other);

        assertThat(e.status()).isEqualTo(ExecutionStatus.NO_MATCH);
        assertThat(events).containsExactly("start i4 -> none 0 match(es)", "finished NO_MATCH");
    }

    @Test
    @Timeout(10)
    void anApprovalRequestIsHeardBeforeTheApprovalGuardDecides() throws Exception {
        var approvals = new PendingApprovals(clock);
        Runbook rb = Runbook.builder("ask").trigger(oom()).safety(Safety.builder().requireApproval(true).build())
                .step(ActionStep.builder("patch", "touch").build()).build();
        try (RunbookEngine engine = engine(rb, FakeCluster.touch("touch")).approvalGateway(approvals).build()) {
            var future = engine.handleAsync(oomIncident("i5"));
            // The request is heard before the gateway holds it, so waiting for the gateway suffices.
            while (approvals.waiting().isEmpty()) {
                Thread.onSpinWait();
            }
            assertThat(events).contains("approval requested ask");
            approvals.approve(approvals.waiting().get(0).executionId(), "alice", "looks right");
            Execution e = future.get(5, TimeUnit.SECONDS);
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
        assertThat(events).containsSubsequence("step finished patch (dry) SUCCEEDED", "guard dry_run allow",
                "approval requested ask", "guard approval allow", "step started patch", "finished SUCCEEDED");
    }
}
