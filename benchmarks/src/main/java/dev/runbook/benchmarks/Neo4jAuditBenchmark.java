package dev.runbook.benchmarks;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.neo4j.Neo4jAuditTrail;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Executions recorded per second by {@link Neo4jAuditTrail} into an in-process Neo4j (neo4j-harness, real Bolt),
 * batched as configured by default (up to 200 executions per transaction) against one transaction per execution
 * (the same trail and statements with a batch size of 1).
 *
 * <p>Each invocation records a burst of {@value #BURST} executions as the engine does (the listener call) and then
 * waits until the trail has committed all of them ({@code flush}), so the score counts only executions that are in
 * Neo4j. The execution is a real one, made once by a {@link RunbookEngine} over a three-step runbook with a dry run
 * first (six step nodes, its guard decisions) and copied with a new execution and incident id per record, so every
 * record creates its own nodes; each links to one existing {@code :Resource}. {@code :Episodic(eid)} is indexed,
 * as in an RCA graph that looks incidents up by id (the trail creates constraints for its own labels only).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(Neo4jAuditBenchmark.BURST)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class Neo4jAuditBenchmark {
    /** Executions recorded per invocation: the default batch size, so the batched trail can fill a batch. */
    static final int BURST = 200;
    // generous: a cold JVM on a loaded machine took over a minute for the first 200 single transactions
    private static final Duration FLUSH_TIMEOUT = Duration.ofMinutes(10);

    private Neo4jHarness neo4j;
    private Neo4jAuditTrail batched;
    private Neo4jAuditTrail oneEach;
    private Execution template;
    private long seq;

    @Setup(Level.Trial)
    public void setUp() {
        neo4j = new Neo4jHarness();
        try (var session = neo4j.driver.session()) {
            // An RCA graph looks incidents up by id; without this index every record's MERGE of its :Episodic
            // scans all of them and the score falls as the graph grows during the run.
            session.run("CREATE INDEX bench_episodic_eid IF NOT EXISTS FOR (e:Episodic) ON (e.eid)").consume();
            session.run("CALL db.awaitIndexes(60)").consume();
            // the incident's pod, so every record also links ON_RESOURCE as it does against a real RCA graph
            session.run("CREATE (:Resource {kind: 'Pod', name: 'web-7d9f-x2', ns: 'default'})").consume();
        }
        var rb = Runbook.builder("bench-audit").version("1.0")
                .trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().dryRunFirst(true).maxExecutionsPerHour(1_000).build());
        for (int i = 0; i < 3; i++) {
            rb.step(ActionStep.builder("step-" + i, "noop").param("value", "{{ incident.resource.name }}-" + i).build());
        }
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).actions(EngineBenchmark.NOOP)
                .runbook(rb.build()).build()) {
            template = engine.handle(Fixtures.incident());
        }
        if (template.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException("the template execution did not succeed: " + template.error().orElse("?"));
        }
        batched = Neo4jAuditTrail.builder().driver(neo4j.driver).build();
        oneEach = Neo4jAuditTrail.builder().driver(neo4j.driver).batchSize(1).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            batched.close();
            oneEach.close();
            // retries (after a failed write) or drops would make the score mean something else
            for (Neo4jAuditTrail t : new Neo4jAuditTrail[] {batched, oneEach}) {
                if (t.failedAttempts() > 0 || t.dropped() > 0) {
                    throw new IllegalStateException("audit trail had " + t.failedAttempts() + " failed writes and "
                            + t.dropped() + " drops");
                }
            }
        } finally {
            neo4j.close();
        }
    }

    @Benchmark
    public long batched() throws InterruptedException {
        return record(batched);
    }

    @Benchmark
    public long oneTransactionEach() throws InterruptedException {
        return record(oneEach);
    }

    /** Records a burst and waits until Neo4j has all of it. */
    private long record(Neo4jAuditTrail trail) throws InterruptedException {
        for (int i = 0; i < BURST; i++) {
            trail.executionFinished(copy(++seq));
        }
        if (!trail.flush(FLUSH_TIMEOUT)) {
            throw new IllegalStateException("audit trail not flushed within " + FLUSH_TIMEOUT);
        }
        return trail.written();
    }

    /** The template execution as the {@code n}th one, on its own incident. */
    private Execution copy(long n) {
        Execution t = template;
        return new Execution("bench-execution-" + n, t.runbookId(), t.runbookVersion(), "bench-incident-" + n, t.status(),
                t.match(), t.guardDecisions(), t.approval(), t.dryRunSteps(), t.steps(), t.rollbackSteps(),
                t.actionsTaken(), t.notifications(), t.error(), t.executedBy(), t.startedAt(), t.finishedAt());
    }
}
