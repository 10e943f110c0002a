package dev.runbook.cli;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.backtest.BacktestOutcome;
import dev.runbook.core.backtest.Comparison;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import dev.runbook.neo4j.Neo4jAuditTrail;
import dev.runbook.neo4j.Neo4jIncidentLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Driver;

/**
 * A generated RCA history of 201 incidents for the runbooks in {@code runbooks/backtest/}, each with the decision a
 * backtest must reach and how it compares with the audit, which a real engine and {@link Neo4jAuditTrail} write for
 * a few of them:
 * <ul>
 *   <li>20 OOMKilled bursts of 6 incidents 5 minutes apart on different pods (max_executions_per_hour 3): 3 run, 3
 *       are refused by rate_limit; the audit says the whole first burst ran (3 same, 3 different);</li>
 *   <li>10 DiskPressure series on one pod at +0, +10, +31 minutes (cooldown 30m): run, refused by rate_limit
 *       (cooldown), run; the audit says the first one of series 0 was denied by the kill switch;</li>
 *   <li>10 NetworkDown series on one pod at +0, +5, +11 minutes (each run assumed to last 10 minutes): run,
 *       refused by dedupe, run; the audit says the second one of series 0 was denied by the kill switch;</li>
 *   <li>21 incidents that match nothing (an unknown cause, or OOMKilled at 0.50), one with a hostile id and
 *       symptom; the audit says a legacy runbook ran for two of them.</li>
 * </ul>
 */
final class BacktestGraph {
    /** Each run is assumed to last this long (the dedupe window of the NetworkDown series). */
    static final Duration EXECUTION_TIME = Duration.ofMinutes(10);
    static final String HOSTILE = "<script>alert('x')</script>";

    /** One incident and what the backtest must decide. */
    record Expected(String eid, Instant at, BacktestOutcome outcome, String runbook, String deniedBy,
                    Comparison comparison) {
    }

    final Instant base;
    final List<Expected> expected = new ArrayList<>();
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final Map<String, String> auditRan = new HashMap<>();
    private final List<String> auditDenied = new ArrayList<>();

    private BacktestGraph(Instant base) {
        this.base = base;
    }

    /** Writes the graph (event times from {@code base} on) and its audit records. */
    static BacktestGraph create(Driver driver, Instant base) throws InterruptedException {
        var g = new BacktestGraph(base);
        g.generate();
        try (var s = driver.session()) {
            s.executeWrite(tx -> tx.run("""
                    UNWIND $rows AS r
                    MERGE (pod:Resource {rid: 'pod:default/' + r.pod})
                      ON CREATE SET pod.kind = 'Pod', pod.name = r.pod, pod.ns = 'default'
                    CREATE (sym:Episodic {eid: r.eid, reason: r.symptom, event_time: datetime(r.at)})-[:ABOUT]->(pod)
                    CREATE (:Episodic {eid: r.eid + '/cause', reason: r.cause})-[:POTENTIAL_CAUSE {confidence: r.conf}]->(sym)
                    """, Map.of("rows", g.rows)).consume());
        }
        g.writeAudit(driver);
        return g;
    }

    int size() {
        return expected.size();
    }

    private void generate() {
        Instant t = base;
        for (int burst = 0; burst < 20; burst++) {
            for (int i = 0; i < 6; i++) {
                String eid = String.format("oom-%02d-%d", burst, i);
                Instant at = t.plus(Duration.ofMinutes(5L * i));
                boolean runs = i < 3;
                Comparison cmp = Comparison.NOT_RECORDED;
                if (burst == 0) {
                    auditRan.put(eid, "oom-restart-v2");
                    cmp = runs ? Comparison.SAME : Comparison.DIFFERENT;
                }
                add(eid, at, "web-" + burst + "-" + i, "OOMKilled", 0.92, runs ? BacktestOutcome.WOULD_RUN
                        : BacktestOutcome.WOULD_DENY, "oom-restart-v2", runs ? "" : "rate_limit", cmp);
            }
            t = t.plus(Duration.ofHours(2));
        }
        int[] diskMinutes = {0, 10, 31};
        for (int series = 0; series < 10; series++) {
            for (int i = 0; i < 3; i++) {
                String eid = String.format("disk-%02d-%d", series, i);
                boolean runs = i != 1;
                Comparison cmp = Comparison.NOT_RECORDED;
                if (series == 0 && i == 0) {
                    auditDenied.add(eid);
                    cmp = Comparison.DIFFERENT;
                }
                add(eid, t.plus(Duration.ofMinutes(diskMinutes[i])), "db-" + series, "DiskPressure", 0.85,
                        runs ? BacktestOutcome.WOULD_RUN : BacktestOutcome.WOULD_DENY, "disk-cleanup-v1",
                        runs ? "" : "rate_limit", cmp);
            }
            t = t.plus(Duration.ofHours(2));
        }
        int[] netMinutes = {0, 5, 11};
        for (int series = 0; series < 10; series++) {
            for (int i = 0; i < 3; i++) {
                String eid = String.format("net-%02d-%d", series, i);
                boolean runs = i != 1;
                Comparison cmp = Comparison.NOT_RECORDED;
                if (series == 0 && i == 1) {
                    auditDenied.add(eid); // denied then by "enabled", now by dedupe: different guards
                    cmp = Comparison.DIFFERENT;
                }
                add(eid, t.plus(Duration.ofMinutes(netMinutes[i])), "api-" + series, "NetworkDown", 0.75,
                        runs ? BacktestOutcome.WOULD_RUN : BacktestOutcome.WOULD_DENY, "net-reset-v1",
                        runs ? "" : "dedupe", cmp);
            }
            t = t.plus(Duration.ofHours(2));
        }
        for (int i = 0; i < 21; i++) {
            String eid = i == 20 ? "none-" + HOSTILE : String.format("none-%02d", i);
            boolean legacy = i == 0 || i == 2; // two Evicted ones
            if (legacy) {
                auditRan.put(eid, "evict-legacy");
            }
            add(eid, t.plus(Duration.ofMinutes(3L * i)), "misc-" + i, i % 2 == 0 ? "Evicted" : "OOMKilled",
                    i % 2 == 0 ? 0.9 : 0.5, BacktestOutcome.NO_MATCH, "", "",
                    legacy ? Comparison.DIFFERENT : Comparison.NOT_RECORDED);
        }
        rows.get(rows.size() - 1).put("symptom", HOSTILE);
    }

    private void add(String eid, Instant at, String pod, String cause, double conf, BacktestOutcome outcome,
                     String runbook, String deniedBy, Comparison cmp) {
        var row = new HashMap<String, Object>();
        row.put("eid", eid);
        row.put("at", at.toString());
        row.put("pod", pod);
        row.put("cause", cause);
        row.put("conf", conf);
        row.put("symptom", "CrashLoopBackOff");
        rows.add(row);
        expected.add(new Expected(eid, at, outcome, outcome == BacktestOutcome.NO_MATCH ? "" : runbook, deniedBy, cmp));
    }

    /** What really happened: a real engine, with looser runbooks of the same ids, writing through the audit trail. */
    private void writeAudit(Driver driver) throws InterruptedException {
        Action fix = new Action() {
            @Override
            public String name() {
                return "fix_it";
            }

            @Override
            public String description() {
                return "stands in for what ran then";
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
            public ActionResult execute(ActionContext context) {
                return ActionResult.empty();
            }
        };
        List<Runbook> then = List.of(
                Runbook.builder("oom-restart-v2").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                        .step(ActionStep.builder("fix", "fix_it").build()).build(),
                Runbook.builder("disk-cleanup-v1").trigger(Trigger.builder().rootCauseReason("DiskPressure").build())
                        .step(ActionStep.builder("fix", "fix_it").build()).build(),
                Runbook.builder("net-reset-v1").trigger(Trigger.builder().rootCauseReason("NetworkDown").build())
                        .step(ActionStep.builder("fix", "fix_it").build()).build(),
                Runbook.builder("evict-legacy").trigger(Trigger.builder().rootCauseReason("Evicted").build())
                        .step(ActionStep.builder("fix", "fix_it").build()).build());
        var clock = new TestClock(base);
        var loader = Neo4jIncidentLoader.builder().driver(driver).build();
        try (var trail = Neo4jAuditTrail.builder().driver(driver).build();
             var engine = RunbookEngine.builder().discoverActions(false).clock(clock).runbooks(then).actions(fix)
                     .listener(trail).build()) {
            for (Expected e : expected) {
                if (auditRan.containsKey(e.eid())) {
                    clock.set(e.at().plusSeconds(5));
                    var x = engine.handle(loader.load(e.eid()));
                    check(x.status() == ExecutionStatus.SUCCEEDED && x.runbookId().equals(auditRan.get(e.eid())), x);
                } else if (auditDenied.contains(e.eid())) {
                    clock.set(e.at().plusSeconds(5));
                    engine.killSwitch().engage("change freeze");
                    var x = engine.handle(loader.load(e.eid()));
                    engine.killSwitch().release();
                    check(x.status() == ExecutionStatus.DENIED, x);
                }
            }
            check(trail.flush(Duration.ofSeconds(60)), "audit flush");
        }
    }

    private static void check(boolean ok, Object what) {
        if (!ok) {
            throw new IllegalStateException("fixture's audit not as planned: " + what);
        }
    }
}
