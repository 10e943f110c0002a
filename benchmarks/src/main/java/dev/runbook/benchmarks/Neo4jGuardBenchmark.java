package dev.runbook.benchmarks;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.guard.SpacingClaim;
import dev.runbook.neo4j.Neo4jGuardStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.neo4j.driver.summary.ResultSummary;
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
 * One guard decision of {@link Neo4jGuardStore} against the floor of one Bolt round trip to the same in-process
 * Neo4j (neo4j-harness, real Bolt through the Java driver). Target: a decision costs at most three round trips.
 *
 * <ul>
 *   <li>{@code roundTrip}: {@code RETURN 1} in an auto-commit statement, in a session opened per call as the store
 *       opens one per call: the floor.</li>
 *   <li>{@code writeTransaction}: {@code RETURN 1} in a managed write transaction (begin, run, commit), the
 *       smallest unit the store can use for a change.</li>
 *   <li>{@code guardDecision}: what the engine does to decide one execution's guards: {@code tryReserve} with a
 *       lock, a rate-limit counter and a spacing. Keys are new on every call, so every decision is granted and does
 *       the whole write path. The reservation is released after each call, outside the measurement.</li>
 *   <li>{@code guardDecisionKnownKeys}: the same decision on the keys of a resource seen before (5,000 resources in
 *       turn, each again after about 10 s), as a host deciding for the same workloads over and over does: the key
 *       nodes exist, so the grant updates them instead of creating and indexing three. Its store keeps times a minute,
 *       so that no key goes stale between its uses.</li>
 *   <li>{@code guardDecisionThenRelease}: the same decision and its {@code release} (what an execution pays in all).</li>
 *   <li>{@code guardRefused}: a request whose lock another owner holds: refused at the first check.</li>
 * </ul>
 *
 * <p>Windows and retention are one second, so that keys go stale during the run and the store's sweep (once a
 * minute, then after every release while stale keys are left) deletes them as fast as decisions create them: the
 * steady state of a long-running deployment with hour windows, reached within a short measurement. The sweep follows
 * releases, so {@code guardDecisionThenRelease} carries it and {@code guardDecision} does not. The database's clock is
 * used, as by default.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class Neo4jGuardBenchmark {
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Duration LOCK_TTL = Duration.ofMinutes(5);
    private static final String HELD = "resource:Pod/default/held";

    /** Resources {@code guardDecisionKnownKeys} decides for in turn. */
    private static final int KNOWN_RESOURCES = 5_000;

    private Neo4jHarness neo4j;
    private Neo4jGuardStore store;
    private Neo4jGuardStore knownKeysStore;
    private Reservation holder;
    private ReservationRequest refusedRequest;
    private long seq;

    /**
     * Where the database's files live: {@code disk} is the JVM's temporary folder (this machine's ext4 disk, where a
     * forced write costs milliseconds), {@code tmpfs} is {@code /dev/shm} (memory: a forced write costs nothing), so
     * the two rows separate the statements' own work from the disk's.
     */
    @Param({"disk", "tmpfs"})
    public String storage;

    private java.nio.file.Path tmpfsDir;

    @Setup(Level.Trial)
    public void setUp() throws java.io.IOException {
        if (storage.equals("tmpfs")) {
            tmpfsDir = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("/dev/shm"), "runbook-bench-");
            neo4j = new Neo4jHarness(tmpfsDir);
        } else {
            neo4j = new Neo4jHarness();
        }
        store = Neo4jGuardStore.builder().driver(neo4j.driver).retention(WINDOW).build();
        knownKeysStore = Neo4jGuardStore.builder().driver(neo4j.driver).retention(Duration.ofMinutes(1)).build();
        // held for the whole trial by another execution, so that guardRefused is refused at its lock check
        holder = store.tryReserve(new ReservationRequest("holder", Instant.now(),
                List.of(new LockClaim(HELD, Duration.ofHours(1), "resource Pod/default/held")), List.of(), List.of()));
        if (!holder.granted()) {
            throw new IllegalStateException("could not take the held lock: " + holder.denialReason().orElse("?"));
        }
        // fixed keys: a refusal records nothing, so repeating it does not grow the graph
        refusedRequest = new ReservationRequest("refused", Instant.now(),
                List.of(new LockClaim(HELD, LOCK_TTL, "resource Pod/default/held")),
                List.of(new CounterClaim("runbook-resource:bench:held", WINDOW, 5, 1,
                        "max_executions_per_resource_per_hour 5 for runbook bench on Pod/default/held")),
                List.of(new SpacingClaim("cooldown:bench:held", WINDOW, "cooldown 1s for runbook bench on Pod/default/held")));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws java.io.IOException {
        holder.release();
        neo4j.close();
        if (tmpfsDir != null) {
            try (var files = java.nio.file.Files.walk(tmpfsDir)) {
                for (var f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
        }
    }

    @Benchmark
    public ResultSummary roundTrip() {
        try (var session = neo4j.driver.session()) {
            return session.run("RETURN 1").consume();
        }
    }

    @Benchmark
    public Integer writeTransaction() {
        try (var session = neo4j.driver.session()) {
            return session.executeWrite(tx -> tx.run("RETURN 1").single().get(0).asInt());
        }
    }

    /**
     * The floor of any durable change: one auto-commit statement that sets a property on one node, committed (and so
     * forced to the transaction log) before the answer. A guard decision that grants must record its times, so it
     * pays this at least.
     */
    @Benchmark
    public ResultSummary durableWrite() {
        try (var session = neo4j.driver.session()) {
            return session.run("MERGE (n:BenchFloor {k: 1}) SET n.v = $v", java.util.Map.of("v", ++seq)).consume();
        }
    }

    private Reservation granted;

    @TearDown(Level.Invocation)
    public void releaseDecision() {
        // an invocation costs milliseconds, so a per-invocation fixture adds nothing that shows
        if (granted != null) {
            granted.release();
            granted = null;
        }
    }

    @Benchmark
    public Reservation guardDecision() {
        granted = decide();
        return granted;
    }

    @Benchmark
    public Reservation guardDecisionThenRelease() {
        Reservation r = decide();
        r.release();
        return r;
    }

    @Benchmark
    public Reservation guardDecisionKnownKeys() {
        long n = ++seq;
        granted = decide(knownKeysStore, n, "Pod/default/known-" + n % KNOWN_RESOURCES);
        return granted;
    }

    private Reservation decide() {
        long n = ++seq;
        return decide(store, n, "Pod/default/web-" + n);
    }

    private static Reservation decide(Neo4jGuardStore store, long n, String resource) {
        Reservation r = store.tryReserve(new ReservationRequest("execution-" + n, Instant.now(),
                List.of(new LockClaim("resource:" + resource, LOCK_TTL, "resource " + resource)),
                List.of(new CounterClaim("runbook-resource:bench:" + resource, WINDOW, 5, 1,
                        "max_executions_per_resource_per_hour 5 for runbook bench on " + resource)),
                List.of(new SpacingClaim("cooldown:bench:" + resource, WINDOW, "cooldown 1s for runbook bench on " + resource))));
        if (!r.granted()) {
            // a refusal here would measure the short path and flatter the store
            throw new IllegalStateException("decision " + n + " refused: " + r.denialReason().orElse("?"));
        }
        return r;
    }

    @Benchmark
    public Reservation guardRefused() {
        Reservation r = store.tryReserve(refusedRequest);
        if (!(r.refusal().orElse(null) instanceof Refusal.LockHeld)) {
            // granted, or refused for a store failure: either way not the refusal this measures
            throw new IllegalStateException("expected the held lock to refuse, got " + r.refusal());
        }
        return r;
    }
}
