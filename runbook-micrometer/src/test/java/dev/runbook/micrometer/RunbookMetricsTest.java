package dev.runbook.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine's executions, guards and steps as Micrometer sees them, through a real engine. */
class RunbookMetricsTest {
    private final TestClock clock = new TestClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Double> runningSeenByActions = new CopyOnWriteArrayList<>();

    /** Takes three seconds of engine time and notes how many executions the gauge says are running. */
    private Action slow(String name, boolean fails) {
        return new Action() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "takes 3 s";
            }

            @Override
            public ParamSchema schema() {
                return ParamSchema.open();
            }

            @Override
            public boolean mutating() {
                return true;
            }

            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                runningSeenByActions.add(registry.get(RunbookMetrics.RUNNING).gauge().value());
                clock.advance(Duration.ofSeconds(3));
                if (fails) {
                    throw ActionException.permanent("still crashing");
                }
                return ActionResult.of("done");
            }
        };
    }

    private static Incident incident(String id, String cause) {
        return Incident.builder(id).rootCause(cause, 0.9).resource("Pod", "default", "web-1").build();
    }

    @Test
    void executionsGuardsAndStepsAreCountedAndTimedByRunbookStatusAndPhase() {
        Runbook ok = Runbook.builder("restart").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("patch", "patch").build()).build();
        Runbook fails = Runbook.builder("rollout").trigger(Trigger.builder().rootCauseReason("CrashLoop").build())
                .step(ActionStep.builder("patch", "patch").build())
                .step(ActionStep.builder("verify", "verify").build())
                .rollbackStep(ActionStep.builder("undo", "patch").build())
                .build();
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(clock)
                .runbooks(List.of(ok, fails)).actions(slow("patch", false), slow("verify", true))
                .listener(RunbookMetrics.of(registry)).build()) {
            assertThat(engine.handle(incident("i1", "OOMKilled")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(engine.handle(incident("i2", "CrashLoop")).status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(engine.handle(incident("i3", "DiskFull")).status()).isEqualTo(ExecutionStatus.NO_MATCH);
            engine.killSwitch().engage("maintenance");
            assertThat(engine.handle(incident("i4", "OOMKilled")).status()).isEqualTo(ExecutionStatus.DENIED);
        }

        assertThat(registry.get(RunbookMetrics.EXECUTIONS).tags("runbook", "restart", "status", "succeeded").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(RunbookMetrics.EXECUTIONS).tags("runbook", "rollout", "status", "rolled_back").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(RunbookMetrics.EXECUTIONS).tags("runbook", "", "status", "no_match").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(RunbookMetrics.EXECUTIONS).tags("runbook", "restart", "status", "denied").counter().count())
                .isEqualTo(1);

        var restart = registry.get(RunbookMetrics.EXECUTION_DURATION).tags("runbook", "restart", "status", "succeeded").timer();
        assertThat(restart.count()).isEqualTo(1);
        assertThat(restart.totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
        assertThat(registry.get(RunbookMetrics.EXECUTION_DURATION).tags("runbook", "rollout").timer()
                .totalTime(TimeUnit.SECONDS)).isEqualTo(9.0);

        assertThat(registry.get(RunbookMetrics.GUARD_DECISIONS).tags("runbook", "restart", "guard", "enabled", "outcome", "denied")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get(RunbookMetrics.GUARD_DECISIONS).tags("runbook", "restart", "guard", "enabled", "outcome", "allowed")
                .counter().count()).isEqualTo(1);

        assertThat(registry.get(RunbookMetrics.STEP_DURATION)
                .tags("runbook", "rollout", "action", "verify", "phase", "run", "status", "failed").timer().count()).isEqualTo(1);
        var undo = registry.get(RunbookMetrics.STEP_DURATION)
                .tags("runbook", "rollout", "action", "patch", "phase", "rollback", "status", "succeeded").timer();
        assertThat(undo.count()).isEqualTo(1);
        assertThat(undo.totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
        assertThat(registry.get(RunbookMetrics.STEP_DURATION).tags("runbook", "rollout", "phase", "run").timers())
                .hasSize(2);

        assertThat(runningSeenByActions).as("one execution running while its actions ran").containsOnly(1.0);
        assertThat(registry.get(RunbookMetrics.RUNNING).gauge().value()).isZero();
    }

    /** A wall clock that NTP sets back: the one thing a {@link TestClock} refuses to do. */
    private static final class SteppedClock extends java.time.Clock {
        private volatile java.time.Instant now = TestClock.DEFAULT_START;

        @Override
        public java.time.Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aClockSetBackMidRunRecordsZeroRatherThanFailingTheListener() {
        var wall = new SteppedClock();
        Runbook back = Runbook.builder("back").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("rewind", "rewind").build()).build();
        Action rewind = new Action() {
            @Override
            public String name() {
                return "rewind";
            }

            @Override
            public String description() {
                return "sets the clock back";
            }

            @Override
            public ParamSchema schema() {
                return ParamSchema.open();
            }

            @Override
            public boolean mutating() {
                return false;
            }

            @Override
            public ActionResult execute(ActionContext ctx) {
                wall.now = wall.now.minus(Duration.ofMinutes(5));
                return ActionResult.of("rewound");
            }
        };
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(wall).runbook(back)
                .actions(rewind).listener(RunbookMetrics.of(registry)).build()) {
            var e5 = engine.handle(incident("i5", "OOMKilled"));
            assertThat(e5.status()).as(e5.error().orElse("")).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
        var t = registry.get(RunbookMetrics.EXECUTION_DURATION).tags("runbook", "back").timer();
        assertThat(t.count()).isEqualTo(1);
        assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isZero();
    }
}
