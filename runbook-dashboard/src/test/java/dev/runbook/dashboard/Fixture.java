package dev.runbook.dashboard;

import dev.runbook.core.action.AbstractAction;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.approval.PendingApprovals;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An engine with three runbooks (one remediates or rolls back, one waits at a gate the test opens, one needs
 * approval), its feed and approvals, and a dashboard on loopback.
 */
final class Fixture implements AutoCloseable {
    static final String SECRET = "s3cr3t-api-token-value";

    final DashboardFeed feed;
    final PendingApprovals approvals = new PendingApprovals(Clock.systemUTC());
    final RunbookEngine engine;
    final DashboardServer server;
    /** Opened by a test to let the gated runbook's step end. */
    volatile CountDownLatch gate = new CountDownLatch(0);
    private int incidents;
    /** Incident id to the id of the execution that started for it, completed by the engine's start event. */
    private final java.util.Map<String, java.util.concurrent.CompletableFuture<String>> started =
            new java.util.concurrent.ConcurrentHashMap<>();

    Fixture(DashboardFeed feed, DashboardServer.Builder options) {
        this.feed = feed;
        this.engine = RunbookEngine.builder().discoverActions(false)
                .actions(new Patch(), new Verify(), new Gate())
                .runbook(oomRunbook()).runbook(gatedRunbook()).runbook(approvalRunbook())
                .parameter("api_token", SECRET)
                .approvalGateway(approvals).approvalTimeout(Duration.ofSeconds(30))
                .listener(feed)
                .listener(new dev.runbook.core.engine.ExecutionListener() {
                    @Override
                    public void executionStarted(String executionId, Incident incident,
                                                 dev.runbook.core.match.MatchReport match) {
                        started(incident).complete(executionId);
                    }
                }).build();
        this.server = options.engine(engine).feed(feed).approvals(approvals).bind("127.0.0.1", 0).build();
    }

    Fixture() {
        this(DashboardFeed.create(), DashboardServer.builder().token("test-token-0123456789"));
    }

    private static Runbook oomRunbook() {
        return Runbook.builder("oom-increase-memory").name("Increase memory after OOMKilled")
                .description("Doubles the memory limit; rolls back when the pod keeps crashing.")
                .trigger(Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.8).build())
                .safety(Safety.builder().dryRunFirst(true).build())
                .parameter(Parameter.secret("api_token", "token of the cluster API"))
                .step(ActionStep.builder("Set memory limit", "patch_memory").param("memory", "512Mi")
                        .param("token", "{{ api_token }}").param("pod", "{{ incident.resource.name }}").build())
                .step(ActionStep.builder("Verify recovered", "verify").build())
                .rollbackStep(ActionStep.builder("Restore memory limit", "patch_memory").param("memory", "256Mi")
                        .param("pod", "{{ incident.resource.name }}").build())
                .build();
    }

    private static Runbook gatedRunbook() {
        return Runbook.builder("restart-hung-pod").name("Restart a hung pod")
                .trigger(Trigger.builder().rootCauseReason("Hung").build())
                .step(ActionStep.builder("Wait for the gate", "gate").build())
                .build();
    }

    private static Runbook approvalRunbook() {
        return Runbook.builder("repull-image").name("Re-pull the image, with approval")
                .trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").build())
                .safety(Safety.builder().requireApproval(true).build())
                .step(ActionStep.builder("Re-pull image", "patch_memory").param("memory", "keep").build())
                .build();
    }

    /** A fresh incident with this root cause; {@code stillFailing} makes the OOM runbook's verification fail. */
    Incident incident(String rootCause, boolean stillFailing) {
        int n = ++incidents;
        return Incident.builder("inc-" + rootCause.toLowerCase(java.util.Locale.ROOT) + "-" + n)
                .symptomReason("CrashLoopBackOff").rootCause(rootCause, 0.92)
                .resource(new ResourceRef("Pod", "web-" + n, "default", Optional.empty(), Optional.of("web"),
                        Optional.of("app")))
                .eventTime(Instant.now().minusSeconds(30)).attribute("still_failing", stillFailing).build();
    }

    /** Completes when the engine has started an execution for this incident (after the feed heard of it). */
    java.util.concurrent.CompletableFuture<String> started(Incident incident) {
        return started.computeIfAbsent(incident.incidentId(), k -> new java.util.concurrent.CompletableFuture<>());
    }

    @Override
    public void close() {
        gate.countDown();
        server.close();
        engine.close();
    }

    private static final class Patch extends AbstractAction {
        Patch() {
            super("patch_memory", Set.of(), "sets a memory limit (test stand-in)", ParamSchema.open(), true);
        }

        @Override
        public boolean supportsDryRun() {
            return true;
        }

        @Override
        public ActionResult execute(ActionContext ctx) {
            var r = ctx.incident().resource();
            return ActionResult.of((ctx.dryRun() ? "would set " : "set ") + ctx.params().get("memory"))
                    .touching(new TouchedResource("Deployment", r.namespace(), "web", "memory"));
        }
    }

    private static final class Verify extends AbstractAction {
        Verify() {
            super("verify", Set.of(), "checks the pod recovered (test stand-in)", ParamSchema.open(), false);
        }

        @Override
        public ActionResult execute(ActionContext ctx) throws ActionException {
            if (!ctx.dryRun() && Boolean.TRUE.equals(ctx.incident().attributes().get("still_failing"))) {
                throw ActionException.permanent("pod still OOMKilled after the change");
            }
            return ActionResult.of("recovered");
        }
    }

    private final class Gate extends AbstractAction {
        Gate() {
            super("gate", Set.of(), "waits until the test opens the gate", ParamSchema.open(), false);
        }

        @Override
        public ActionResult execute(ActionContext ctx) throws ActionException {
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw ActionException.permanent("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ActionException.permanent("interrupted");
            }
            return ActionResult.of("passed the gate");
        }
    }
}
