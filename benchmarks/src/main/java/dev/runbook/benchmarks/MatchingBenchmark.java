package dev.runbook.benchmarks;

import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatcher;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Incident to ranked matches: our indexed matcher (without and with explanations) against a linear scan over
 * all triggers (what the seed's Go matcher does, checking the same criteria) and a bare HashMap lookup of the
 * reason (the floor). Same library, same incidents, same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MatchingBenchmark {
    @Param({"10", "1000", "10000", "100000"})
    public int runbooks;

    private List<Runbook> library;
    private RunbookMatcher matcher;
    private Map<String, List<Runbook>> byReason;
    private Incident[] incidents;
    private int next;

    private static final Comparator<Runbook> RANK = Comparator
            .comparingInt((Runbook r) -> -r.trigger().specificity())
            .thenComparingDouble(r -> -r.trigger().minConfidence())
            .thenComparing(Runbook::id);

    @Setup(Level.Trial)
    public void setUp() {
        library = Libraries.runbooks(runbooks, 7);
        matcher = RunbookMatcher.of(library);
        byReason = new HashMap<>();
        for (Runbook r : library) {
            for (String reason : r.trigger().rootCauseReasons()) {
                byReason.computeIfAbsent(reason, k -> new ArrayList<>()).add(r);
            }
        }
        incidents = Libraries.incidents(1024, 11);
    }

    private Incident incident() {
        next = (next + 1) & 1023;
        return incidents[next];
    }

    @Benchmark
    public List<Runbook> indexed() {
        return matcher.matchingRunbooks(incident());
    }

    @Benchmark
    public MatchReport indexedExplained() {
        return matcher.match(incident());
    }

    @Benchmark
    public List<Runbook> linearScan() {
        return linearScan(library, incident());
    }

    /** Every trigger checked, as the seed's Go matcher does; ranked as the indexed matcher ranks. */
    static List<Runbook> linearScan(List<Runbook> library, Incident i) {
        var out = new ArrayList<Runbook>();
        for (Runbook r : library) {
            Trigger t = r.trigger();
            if ((t.rootCauseReasons().isEmpty() || t.rootCauseReasons().contains(i.rootCauseReason()))
                    && (t.symptomReasons().isEmpty() || t.symptomReasons().contains(i.symptomReason()))
                    && i.rcaConfidence() >= t.minConfidence()
                    && (t.resourceKinds().isEmpty() || t.resourceKinds().contains(i.resource().kind()))
                    && (t.namespaces().isEmpty() || t.namespaces().contains(i.resource().namespace()))) {
                out.add(r);
            }
        }
        out.sort(RANK);
        return out;
    }

    @Benchmark
    public List<Runbook> hashMapFloor() {
        return byReason.get(incident().rootCauseReason());
    }
}
