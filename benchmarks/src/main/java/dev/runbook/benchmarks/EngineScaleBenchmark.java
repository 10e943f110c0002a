package dev.runbook.benchmarks;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.match.RunbookMatcher;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.Runbooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * The engine's path at library scale, through the public API: {@code handle()} of incidents that match nothing
 * and of incidents that match a one-step runbook, against {@code RunbookMatcher.matchingRunbooks} (the floor) and
 * against a linear scan of every trigger followed by the same engine work. Runbooks are written with the Java DSL,
 * spread over 200 root-cause reasons as in {@link MatchingBenchmark}; each has one {@code log} step whose message
 * is one of a few templates (as real libraries repeat them).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
@State(Scope.Benchmark)
public class EngineScaleBenchmark {
    static final String[] MESSAGES = {
        "{{ incident.resource.kind }} {{ incident.resource.name }}: {{ incident.root_cause_reason }}",
        "restarting {{ incident.resource.name }} in {{ incident.resource.namespace }}",
        "confidence {{ incident.rca_confidence }} for {{ incident.incident_id }}",
        "{{ incident.symptom_reason }} on {{ incident.resource.name }}"};

    @Param({"1000", "10000", "100000"})
    public int runbooks;

    private List<Runbook> library;
    private RunbookMatcher matcher;
    private RunbookEngine engine;
    private Incident[] misses;
    private Incident[] hits;
    private int next;

    /** {@code n} DSL runbooks: distinct ids and triggers, one log step with one of a few messages. */
    static List<Runbook> library(int n, long seed) {
        return library(n, seed, false);
    }

    /**
     * The library; with {@code distinctBodies} every runbook's log message differs (it names the runbook), so no two
     * runbooks share a body and the engine's build cannot compile one body for many.
     */
    static List<Runbook> library(int n, long seed, boolean distinctBodies) {
        Random rnd = new Random(seed);
        var out = new ArrayList<Runbook>(n);
        for (int i = 0; i < n; i++) {
            String reason = Libraries.reason(i % Libraries.REASONS);
            String symptom = Libraries.SYMPTOMS[rnd.nextInt(Libraries.SYMPTOMS.length)];
            String kind = Libraries.KINDS[rnd.nextInt(Libraries.KINDS.length)];
            double min = 0.5 + rnd.nextInt(10) * 0.05;
            boolean prodOnly = rnd.nextInt(10) == 0;
            out.add(Runbooks.runbook("rb-" + i)
                    .trigger(t -> {
                        t.rootCause(reason).symptoms(symptom).resourceKinds(kind).minConfidence(min);
                        if (prodOnly) {
                            t.namespaces("prod");
                        }
                    })
                    .step("note").action("log").param("message", distinctBodies ? MESSAGES[i % MESSAGES.length] + " (rb-" + i + ")"
                            : MESSAGES[i % MESSAGES.length])
                    .build());
        }
        return out;
    }

    @Setup(Level.Trial)
    public void setUp() {
        library = library(runbooks, 7);
        matcher = RunbookMatcher.of(library);
        engine = RunbookEngine.builder().discoverActions(true).runbooks(library).build();
        var missList = new ArrayList<Incident>();
        var hitList = new ArrayList<Incident>();
        for (Incident i : Libraries.incidents(20_000, 11)) {
            (matcher.matchingRunbooks(i).isEmpty() ? missList : hitList).add(i);
        }
        misses = missList.subList(0, Math.min(1024, missList.size())).toArray(new Incident[0]);
        hits = hitList.subList(0, Math.min(1024, hitList.size())).toArray(new Incident[0]);
        if (misses.length < 64 || hits.length < 64) {
            throw new IllegalStateException("too few misses (" + misses.length + ") or hits (" + hits.length + ")");
        }
        // Every decision is checked once, outside the measurement: a miss is NO_MATCH, a hit succeeds.
        if (engine.handle(misses[0]).status() != ExecutionStatus.NO_MATCH
                || !engine.handle(hits[0]).status().succeeded()) {
            throw new IllegalStateException("the engine did not decide as the matcher does");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    private Incident nextMiss() {
        next = (next + 1) & 1023;
        return misses[next % misses.length];
    }

    private Incident nextHit() {
        next = (next + 1) & 1023;
        return hits[next % hits.length];
    }

    /** The floor: the indexed matcher alone, over the incidents that match nothing. */
    @Benchmark
    public List<Runbook> matchingRunbooksMiss() {
        return matcher.matchingRunbooks(nextMiss());
    }

    /** The indexed matcher alone, over the incidents that match: the matching part of {@link #handleHit}. */
    @Benchmark
    public List<Runbook> matchingRunbooksHit() {
        return matcher.matchingRunbooks(nextHit());
    }

    /** {@code handle()} of an incident no runbook matches. */
    @Benchmark
    public Execution handleMiss() {
        return engine.handle(nextMiss());
    }

    /** {@code handle()} of an incident that matches: one log step runs. */
    @Benchmark
    public Execution handleHit() {
        return engine.handle(nextHit());
    }

    /**
     * The same engine work with a linear-scan matcher: every trigger checked (as {@link MatchingBenchmark}'s
     * linearScan), then the execution. The engine's own indexed lookup inside {@code handle()} (a few us) is
     * counted here too, which flatters the linear scan slightly.
     */
    @Benchmark
    public Execution linearScanThenHandle() {
        Incident i = nextHit();
        if (MatchingBenchmark.linearScan(library, i).isEmpty()) {
            throw new IllegalStateException("no match for a hit");
        }
        return engine.handle(i);
    }
}
