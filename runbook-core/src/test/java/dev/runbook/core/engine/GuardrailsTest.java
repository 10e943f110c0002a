package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.oomIncident;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.approval.ApprovalPolicy;
import dev.runbook.core.approval.PendingApprovals;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GuardrailsTest {
    private final TestClock clock = new TestClock();
    private final FakeCluster cluster = new FakeCluster();

    private Runbook runbook(Safety safety) {
        return Runbook.builder("oom-v1").trigger(Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.8).build())
                .safety(safety)
                .step(ActionStep.builder("touch", "touch").build())
                .build();
    }

    private RunbookEngine.Builder engine(Safety safety) {
        return RunbookEngine.builder().discoverActions(false).clock(clock)
                .sleeper(new EngineTestSupport.RecordingSleeper(clock))
                .runbook(runbook(safety)).actions(FakeCluster.touch("touch"));
    }

    private static GuardDecision denial(Execution e) {
        assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
        return e.denial().orElseThrow();
    }

    @Test
    void decisionsComeInOrderEachWithItsReason() {
        Execution e = engine(Safety.builder().maxExecutionsPerHour(5).dryRunFirst(true).blastRadiusLimit(10).build())
                .build().handle(oomIncident("i1"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.guardDecisions()).extracting(GuardDecision::guard)
                .containsExactly("enabled", "confidence", "dedupe", "rate_limit", "dry_run", "blast_radius");
        assertThat(e.guardDecisions()).allMatch(GuardDecision::allowed);
        assertThat(e.guardDecisions().get(1).reason()).isEqualTo("rca_confidence 0.92 >= min_confidence 0.80");
        assertThat(e.guardDecisions().get(5).reason()).isEqualTo("plan touches 1 resource(s) <= blast_radius_limit 10");
        assertThat(e.dryRunSteps()).singleElement().satisfies(s -> assertThat(s.dryRun()).isTrue());
    }

    @Test
    void killSwitchAndDisabledRunbooksStopEverything() {
        RunbookEngine engine = engine(Safety.none()).build();
        engine.killSwitch().engage("incident review in progress");
        assertThat(denial(engine.handle(oomIncident("i1"))))
                .isEqualTo(GuardDecision.deny("enabled", "kill switch engaged: incident review in progress"));
        engine.killSwitch().release();
        assertThat(engine.handle(oomIncident("i2")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        RunbookEngine disabled = RunbookEngine.builder().discoverActions(false).clock(clock)
                .runbook(runbook(Safety.none()).toBuilder().enabled(false).build())
                .actions(FakeCluster.touch("touch")).build();
        assertThat(denial(disabled.handle(oomIncident("i3"))).reason()).isEqualTo("runbook oom-v1 is disabled");
    }

    @Test
    void safetyMinConfidenceIsCheckedEvenWhenTheTriggerIsLower() {
        Execution e = engine(Safety.builder().minConfidence(0.95).build()).build().handle(oomIncident("i1"));
        assertThat(denial(e)).isEqualTo(GuardDecision.deny("confidence", "rca_confidence 0.92 < min_confidence 0.95"));
    }

    @Test
    void namespacesOutsideTheAllowListAreRefused() {
        Execution e = engine(Safety.builder().allowedNamespaces(List.of("staging")).build()).build()
                .handle(oomIncident("i1"));
        assertThat(denial(e).reason()).isEqualTo("namespace 'default' not in allowed_namespaces [staging]");
    }

    @Test
    void ratesAreSlidingWindowsOnTheInjectedClock() {
        RunbookEngine engine = engine(Safety.builder().maxExecutionsPerHour(2).build()).build();
        assertThat(engine.handle(oomIncident("a", "p1", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        clock.advance(Duration.ofMinutes(10));
        assertThat(engine.handle(oomIncident("b", "p2", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        clock.advance(Duration.ofMinutes(10));
        assertThat(denial(engine.handle(oomIncident("c", "p3", 0.9))).reason())
                .isEqualTo("max_executions_per_hour 2 for runbook oom-v1 reached: 2 in the last 1h");
        clock.advance(Duration.ofMinutes(41)); // the first one left the window
        assertThat(engine.handle(oomIncident("d", "p4", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void perResourceLimitsCooldownAndSpacingFollowSeed002() {
        RunbookEngine engine = engine(Safety.builder().maxExecutionsPerResourcePerHour(3).build()).build();
        for (int i = 0; i < 3; i++) {
            assertThat(engine.handle(oomIncident("r" + i, "same", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
        assertThat(denial(engine.handle(oomIncident("r3", "same", 0.9))).reason())
                .startsWith("max_executions_per_resource_per_hour 3 for runbook oom-v1 on Pod/default/same reached");
        assertThat(engine.handle(oomIncident("r4", "other", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        RunbookEngine spaced = engine(Safety.builder().minActionSpacing(Duration.ofSeconds(5)).build()).build();
        assertThat(spaced.handle(oomIncident("s1", "a", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        clock.advance(Duration.ofSeconds(3));
        assertThat(denial(spaced.handle(oomIncident("s2", "b", 0.9))).reason())
                .startsWith("min_action_spacing 5s not yet elapsed").endsWith("wait 2s");
        clock.advance(Duration.ofSeconds(2));
        assertThat(spaced.handle(oomIncident("s3", "b", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        RunbookEngine cooled = engine(Safety.builder().cooldown(Duration.ofMinutes(10)).build()).build();
        assertThat(cooled.handle(oomIncident("c1", "a", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(denial(cooled.handle(oomIncident("c2", "a", 0.9))).reason()).startsWith("cooldown 10m for runbook oom-v1 on Pod/default/a");
        assertThat(cooled.handle(oomIncident("c3", "b", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void globalActionBudgetAndPerActionLimitsCountMutatingSteps() {
        RunbookEngine engine = engine(Safety.builder().maxActionPerResourcePerHour("touch", 2).build())
                .maxActionsPerHour(3).build();
        assertThat(engine.handle(oomIncident("a", "x", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(engine.handle(oomIncident("b", "x", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(denial(engine.handle(oomIncident("c", "x", 0.9))).reason())
                .startsWith("max_action_per_resource_per_hour touch 2 on Pod/default/x reached");
        assertThat(engine.handle(oomIncident("d", "y", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(denial(engine.handle(oomIncident("e", "z", 0.9))).reason())
                .startsWith("engine max_actions_per_hour 3 (all runbooks) reached: 3 in the last 1h");
    }

    @Test
    void aDeniedExecutionDoesNotUseUpTheRateLimit() {
        // approval is denied, so the executions never happen and must not count
        RunbookEngine engine = engine(Safety.builder().maxExecutionsPerHour(1).requireApproval(true).build()).build();
        for (int i = 0; i < 3; i++) {
            assertThat(denial(engine.handle(oomIncident("d" + i, "p" + i, 0.9))).guard()).isEqualTo("approval");
        }
        RunbookEngine approving = engine(Safety.builder().maxExecutionsPerHour(1).requireApproval(true).build())
                .approvalGateway(ApprovalGateway.approveAll("alice", clock)).build();
        assertThat(approving.handle(oomIncident("ok", "p", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void blastRadiusIsCountedFromTheDryRun() {
        var wide = new FakeCluster.Simple("wide", true, dev.runbook.core.action.ParamSchema.open()) {
            @Override
            public dev.runbook.core.action.ActionResult execute(dev.runbook.core.action.ActionContext ctx) {
                var r = dev.runbook.core.action.ActionResult.empty();
                for (int i = 0; i < 4; i++) {
                    r = r.touching(new dev.runbook.core.action.TouchedResource("Pod", "default", "p" + i, "evict"));
                }
                return r;
            }
        };
        Runbook rb = Runbook.builder("drain").trigger(Trigger.any()).safety(Safety.builder().blastRadiusLimit(3).build())
                .step(ActionStep.builder("wide", "wide").build()).build();
        Execution e = RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb).actions(wide).build()
                .handle(oomIncident("i1"));
        assertThat(denial(e)).isEqualTo(GuardDecision.deny("blast_radius",
                "plan touches 4 resources > blast_radius_limit 3: Pod/default/p0, Pod/default/p1, Pod/default/p2, Pod/default/p3"));
        assertThat(e.steps()).isEmpty();
    }

    @Test
    void approvalIsDeniedByDefaultAndRecordsTheApprover() {
        Safety s = Safety.builder().requireApproval(true).build();
        assertThat(denial(engine(s).build().handle(oomIncident("i1"))).reason())
                .startsWith("denied by engine: no approval gateway is configured");

        Execution auto = engine(s).approvalPolicy(ApprovalPolicy.autoApproveWhen(0.9, 1, clock)).build()
                .handle(oomIncident("i2"));
        assertThat(auto.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(auto.approval().orElseThrow().approver()).isEqualTo("policy:auto-approve");
        assertThat(auto.approval().orElseThrow().reason()).isEqualTo("rca_confidence 0.92 >= 0.90 and blast radius 1 <= 1");
    }

    @Test
    @Timeout(10)
    void aPersonApprovesThroughPendingApprovals() throws Exception {
        PendingApprovals pending = new PendingApprovals(clock);
        try (RunbookEngine engine = engine(Safety.builder().requireApproval(true).build()).approvalGateway(pending).build()) {
            CompletableFuture<Execution> f = engine.handleAsync(oomIncident("i1"));
            while (pending.waiting().isEmpty()) {
                Thread.onSpinWait();
            }
            var req = pending.waiting().get(0);
            assertThat(req.touched()).extracting(t -> t.key()).containsExactly("Pod/default/web-1");
            assertThat(pending.approve(req.executionId(), "alice@example.com", "looks right")).isTrue();
            Execution e = f.get(5, TimeUnit.SECONDS);
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.approval().orElseThrow().approver()).isEqualTo("alice@example.com");
        }
    }

    @Test
    @Timeout(10)
    void anUnansweredApprovalTimesOutAsADenial() {
        PendingApprovals pending = new PendingApprovals(clock);
        Execution e = engine(Safety.builder().requireApproval(true).build()).approvalGateway(pending)
                .approvalTimeout(Duration.ofMillis(50)).build().handle(oomIncident("i1"));
        assertThat(denial(e).reason()).isEqualTo("denied by engine: no decision within 50ms");
        assertThat(pending.waiting()).isEmpty();
    }

    @Test
    void oneActiveExecutionPerResource() throws Exception {
        var started = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        var block = new FakeCluster.Simple("touch", true, dev.runbook.core.action.ParamSchema.open()) {
            @Override
            public dev.runbook.core.action.ActionResult execute(dev.runbook.core.action.ActionContext ctx)
                    throws InterruptedException {
                if (!ctx.dryRun()) {
                    started.countDown();
                    release.await();
                }
                return dev.runbook.core.action.ActionResult.empty();
            }
        };
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(clock)
                .runbook(runbook(Safety.none())).actions(block).build()) {
            var first = engine.handleAsync(oomIncident("i1", "web-1", 0.9));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            Incident same = oomIncident("i2", "web-1", 0.9);
            GuardDecision d = denial(engine.handle(same));
            assertThat(d.guard()).isEqualTo("dedupe");
            assertThat(d.reason()).startsWith("resource Pod/default/web-1 already has an active execution (exec-");
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(engine.handle(oomIncident("i3", "web-1", 0.9)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    void planChangesNothingAndConsumesNoLimit() {
        RunbookEngine engine = engine(Safety.builder().maxExecutionsPerHour(1).build()).build();
        Execution plan = engine.plan(oomIncident("p"));
        assertThat(plan.status()).isEqualTo(ExecutionStatus.PLANNED);
        assertThat(plan.dryRunSteps()).singleElement().satisfies(s -> {
            assertThat(s.dryRun()).isTrue();
            assertThat(s.touched()).hasSize(1);
        });
        assertThat(plan.steps()).isEmpty();
        assertThat(engine.handle(oomIncident("real")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void incidentsFromAnotherClusterKindOrNamespaceDoNotMatch() {
        Runbook rb = Runbook.builder("scoped").trigger(Trigger.builder().rootCauseReason("OOMKilled")
                .resourceKind("Pod").namespaces(List.of("prod")).clusters(List.of("eu")).build())
                .step(ActionStep.builder("touch", "touch").build()).build();
        RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb)
                .actions(FakeCluster.touch("touch")).build();
        Incident wrong = Incident.builder("i").rootCause("OOMKilled", 0.9).resource(ResourceRef.of("Pod", "dev", "x"))
                .cluster("us").build();
        Execution e = engine.handle(wrong);
        assertThat(e.status()).isEqualTo(ExecutionStatus.NO_MATCH);
        assertThat(e.match().rejected().get(0).why())
                .isEqualTo("namespace 'dev' not in [prod]; cluster 'us' not in [eu]");
    }
}
