package dev.runbook.benchmarks;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One guard refusal through {@code handle()}: the storm's library, an incident on a resource still in its
 * cooldown (the first incident on it ran in the setup), so every call is matched, refused by the cooldown and
 * recorded as DENIED.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class GuardRefusalBenchmark {
    private RunbookEngine engine;
    private Incident incident;

    @Setup
    public void setUp() {
        engine = RunbookEngine.builder().discoverActions(true).actions(new StormBenchmark().new OneMillisecondAction())
                .runbooks(StormBenchmark.library()).build();
        incident = Incident.builder("hot").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.92)
                .resource(ResourceRef.of("Pod", "prod", "hot-pod")).build();
        if (engine.handle(incident).status() != ExecutionStatus.SUCCEEDED
                || engine.handle(incident).status() != ExecutionStatus.DENIED) {
            throw new IllegalStateException("expected a run, then a refusal");
        }
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Execution guardRefusal() {
        return engine.handle(incident);
    }
}
