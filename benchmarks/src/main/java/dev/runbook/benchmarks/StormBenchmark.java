package dev.runbook.benchmarks;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.Runbooks;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Suite 6, an incident storm: 100,000 incidents through {@code handle()} from 2 threads, 10% of them on one
 * resource, against a library of 1,000 runbooks whose matching one runs a mutating test action of 1 ms under a
 * per-resource cooldown. One invocation is the whole storm; its time gives decisions per second. The decision
 * latency of an incident is the time from {@code handle()} to the action's start, or to {@code handle()}'s return
 * when nothing ran (a guard refused, nothing matched); p50/p99 and the heap retained after the storm are written
 * to {@code benchmarks/target/storm.txt} (and printed), and every decision is accounted for or the run fails.
 *
 * <p>{@link GuardRefusalBenchmark} measures one refusal alone.
 */
@State(Scope.Benchmark)
public class StormBenchmark {
    static final Duration ACTION_TIME = Duration.ofMillis(1);

    @Param({"100000"})
    public int incidents;

    private RunbookEngine engine;
    private Incident[] storm;
    private final Map<String, Long> handedAt = new ConcurrentHashMap<>();
    private long[] latencies;
    private final AtomicInteger latencyCount = new AtomicInteger();
    private final AtomicInteger actionsRun = new AtomicInteger();
    private long heapBefore;
    private volatile Map<ExecutionStatus, Integer> statuses = Map.of();
    private final List<String> report = new ArrayList<>();

    /** Mutating, 1 ms; records the decision latency of its incident at entry. */
    final class OneMillisecondAction implements Action {
        @Override
        public String name() {
            return "storm_fix";
        }

        @Override
        public String description() {
            return "a 1 ms change";
        }

        @Override
        public ParamSchema schema() {
            return ParamSchema.of();
        }

        @Override
        public boolean mutating() {
            return true;
        }

        @Override
        public ActionResult execute(ActionContext ctx) throws InterruptedException {
            Long at = handedAt.get(ctx.incident().incidentId());
            if (at != null) {
                latencies[latencyCount.getAndIncrement()] = System.nanoTime() - at;
            }
            actionsRun.incrementAndGet();
            Thread.sleep(ACTION_TIME.toMillis());
            return ActionResult.empty();
        }
    }

    static List<Runbook> library() {
        var out = new ArrayList<Runbook>();
        for (int i = 0; i < 999; i++) {
            String reason = Libraries.reason(i % Libraries.REASONS);
            out.add(Runbooks.runbook("other-" + i).trigger(t -> t.rootCause(reason).minConfidence(0.9))
                    .step("note").action("log").param("message", "{{ incident.resource.name }}").build());
        }
        out.add(Runbooks.runbook("storm-fix")
                .trigger(t -> t.rootCause("OOMKilled").resourceKinds("Pod").minConfidence(0.8))
                .safety(s -> s.cooldown(Duration.ofMinutes(10)))
                .step("fix").action("storm_fix").build());
        return out;
    }

    @Setup(Level.Iteration)
    public void setUp() {
        engine = RunbookEngine.builder().discoverActions(true).actions(new OneMillisecondAction()).runbooks(library())
                .build();
        storm = new Incident[incidents];
        for (int i = 0; i < incidents; i++) {
            String pod = i % 10 == 0 ? "hot-pod" : "pod-" + i;
            storm[i] = Incident.builder("storm-" + i).symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.92)
                    .resource(ResourceRef.of("Pod", "prod", pod)).build();
        }
        latencies = new long[incidents];
        latencyCount.set(0);
        actionsRun.set(0);
        handedAt.clear();
        heapBefore = usedHeapAfterGc();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 1)
    @Fork(value = 1, jvmArgsAppend = "-Xmx4g")
    public Map<ExecutionStatus, Integer> storm() throws Exception {
        ExecutorService drivers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Map<ExecutionStatus, Integer>>> halves = new ArrayList<>();
            for (int half = 0; half < 2; half++) {
                int from = half;
                halves.add(drivers.submit(() -> drive(from)));
            }
            var counts = new EnumMap<ExecutionStatus, Integer>(ExecutionStatus.class);
            for (var f : halves) {
                f.get().forEach((k, v) -> counts.merge(k, v, Integer::sum));
            }
            statuses = counts;
            return counts;
        } finally {
            drivers.shutdownNow();
        }
    }

    /** Every other incident from {@code from}; counts the statuses. */
    private Map<ExecutionStatus, Integer> drive(int from) {
        var counts = new EnumMap<ExecutionStatus, Integer>(ExecutionStatus.class);
        for (int i = from; i < storm.length; i += 2) {
            Incident inc = storm[i];
            long t0 = System.nanoTime();
            handedAt.put(inc.incidentId(), t0);
            Execution e = engine.handle(inc);
            handedAt.remove(inc.incidentId());
            if (e.status() != ExecutionStatus.SUCCEEDED) {
                latencies[latencyCount.getAndIncrement()] = System.nanoTime() - t0;
            }
            counts.merge(e.status(), 1, Integer::sum);
        }
        return counts;
    }

    @TearDown(Level.Iteration)
    public void account() {
        long retained = usedHeapAfterGc() - heapBefore;
        engine.close();
        int decided = latencyCount.get();
        int succeeded = statuses.getOrDefault(ExecutionStatus.SUCCEEDED, 0);
        int denied = statuses.getOrDefault(ExecutionStatus.DENIED, 0);
        // The first incident on each resource runs; the hot pod's later ones are refused by its cooldown.
        int expectedRuns = incidents - incidents / 10 + 1;
        if (decided != incidents || succeeded != actionsRun.get() || succeeded != expectedRuns
                || succeeded + denied != incidents) {
            throw new IllegalStateException("decisions not all accounted for: " + decided + " latencies, " + statuses
                    + ", " + actionsRun.get() + " actions run, " + expectedRuns + " runs expected, of " + incidents);
        }
        long[] sorted = Arrays.copyOf(latencies, decided);
        Arrays.sort(sorted);
        report.add(String.format(Locale.ROOT, "storm: %d incidents, %s, %d actions run, decision latency p50 %.1f us, "
                        + "p99 %.1f us, max %.1f us, heap retained after the storm %d KB",
                incidents, statuses, actionsRun.get(), sorted[decided / 2] / 1e3, sorted[(int) (decided * 0.99)] / 1e3,
                sorted[decided - 1] / 1e3, retained / 1024));
        System.out.println(report.get(report.size() - 1));
        try {
            java.nio.file.Files.write(java.nio.file.Path.of("benchmarks/target/storm.txt"), report);
        } catch (java.io.IOException e) {
            System.out.println("could not write benchmarks/target/storm.txt: " + e.getMessage());
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
