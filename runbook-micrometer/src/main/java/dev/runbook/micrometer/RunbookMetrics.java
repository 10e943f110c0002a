package dev.runbook.micrometer;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.Incident;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's metrics in a Micrometer {@link MeterRegistry}, as an {@link ExecutionListener}: register it with
 * {@code RunbookEngine.builder().listener(RunbookMetrics.of(registry))}.
 *
 * <ul>
 *   <li>{@value #EXECUTIONS} (counter): finished executions, tagged {@code runbook} (empty for no match) and
 *       {@code status} ({@code succeeded}, {@code denied}, {@code rolled_back}, ...).</li>
 *   <li>{@value #EXECUTION_DURATION} (timer): how long each took, same tags.</li>
 *   <li>{@value #GUARD_DECISIONS} (counter): guard decisions, tagged {@code runbook}, {@code guard} and
 *       {@code outcome} ({@code allowed} or {@code denied}).</li>
 *   <li>{@value #STEP_DURATION} (timer): each step, tagged {@code runbook}, {@code action}, {@code phase}
 *       ({@code dry_run}, {@code run}, {@code rollback}) and {@code status}.</li>
 *   <li>{@value #RUNNING} (gauge): executions running now.</li>
 * </ul>
 * Durations are those the engine recorded on its own clock. Tags take values from the runbook library and the
 * engine, never from incident fields, so the number of series stays bounded by the library.
 */
public final class RunbookMetrics implements ExecutionListener {
    /** Counter of finished executions. */
    public static final String EXECUTIONS = "runbook.executions";
    /** Timer of executions. */
    public static final String EXECUTION_DURATION = "runbook.execution.duration";
    /** Counter of guard decisions. */
    public static final String GUARD_DECISIONS = "runbook.guard.decisions";
    /** Timer of steps. */
    public static final String STEP_DURATION = "runbook.step.duration";
    /** Gauge of running executions. */
    public static final String RUNNING = "runbook.executions.running";

    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();
    /** Executions whose rollback has begun: their later steps are rollback steps. */
    private final Set<String> rollingBack = ConcurrentHashMap.newKeySet();

    private RunbookMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(RUNNING, running, AtomicInteger::get).description("Executions running now").register(registry);
    }

    /** Metrics recorded in this registry (the gauge is registered now). */
    public static RunbookMetrics of(MeterRegistry registry) {
        return new RunbookMetrics(Objects.requireNonNull(registry, "registry"));
    }

    @Override
    public void executionStarted(String executionId, Incident incident, MatchReport match) {
        running.incrementAndGet();
    }

    @Override
    public void guardDecided(String executionId, String runbookId, GuardDecision decision) {
        Counter.builder(GUARD_DECISIONS).description("Guard decisions")
                .tag("runbook", runbookId).tag("guard", decision.guard())
                .tag("outcome", decision.allowed() ? "allowed" : "denied")
                .register(registry).increment();
    }

    @Override
    public void rollbackStarted(String executionId, String runbookId, String reason) {
        rollingBack.add(executionId);
    }

    @Override
    public void stepFinished(String executionId, String runbookId, StepResult result) {
        String phase = result.dryRun() ? "dry_run" : rollingBack.contains(executionId) ? "rollback" : "run";
        Timer.builder(STEP_DURATION).description("Steps")
                .tag("runbook", runbookId).tag("action", result.action()).tag("phase", phase)
                .tag("status", tag(result.status().name()))
                .register(registry).record(nonNegative(Duration.between(result.startedAt(), result.finishedAt())));
    }

    @Override
    public void executionFinished(Execution execution) {
        rollingBack.remove(execution.id());
        String status = tag(execution.status().name());
        Counter.builder(EXECUTIONS).description("Finished executions")
                .tag("runbook", execution.runbookId()).tag("status", status)
                .register(registry).increment();
        Timer.builder(EXECUTION_DURATION).description("Executions")
                .tag("runbook", execution.runbookId()).tag("status", status)
                .register(registry).record(nonNegative(Duration.between(execution.startedAt(), execution.finishedAt())));
        running.decrementAndGet();
    }

    private static String tag(String enumName) {
        return enumName.toLowerCase(Locale.ROOT);
    }

    /** A clock set back mid-run must not make a timer throw. */
    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
