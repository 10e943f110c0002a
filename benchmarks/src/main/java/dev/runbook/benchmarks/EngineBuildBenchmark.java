package dev.runbook.benchmarks;

import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.Runbook;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building an engine of {@link EngineScaleBenchmark}'s DSL runbooks ({@code RunbookEngine.builder()...build()}:
 * action discovery, compiling and checking every runbook, indexing the matcher), one build per invocation; and,
 * apart, writing that library with the Java DSL ({@code dslLibrary}). With {@code distinctBodies=false} the
 * runbooks differ in id and trigger but share a few step bodies (as libraries stamped from templates do), which the
 * engine compiles once each; with {@code true} every body differs, so every runbook is compiled in full.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
@State(Scope.Benchmark)
public class EngineBuildBenchmark {
    @Param({"1000", "10000", "100000"})
    public int runbooks;

    @Param({"false", "true"})
    public boolean distinctBodies;

    private List<Runbook> library;
    private RunbookEngine built;

    @Setup(Level.Trial)
    public void setUp() {
        library = EngineScaleBenchmark.library(runbooks, 7, distinctBodies);
    }

    @TearDown(Level.Iteration)
    public void closeBuilt() {
        if (built != null) {
            built.close();
            built = null;
        }
    }

    @Benchmark
    public RunbookEngine buildEngine() {
        built = RunbookEngine.builder().discoverActions(true).runbooks(library).build();
        return built;
    }

    @Benchmark
    public List<Runbook> dslLibrary() {
        return EngineScaleBenchmark.library(runbooks, 7, distinctBodies);
    }
}
