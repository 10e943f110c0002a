package dev.runbook.core.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.internal.Json;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The backtest through its public API, on in-memory incidents: every decision, and that nothing runs. */
class BacktestTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final AtomicInteger calls = new AtomicInteger();

    /** A mutating action that counts its calls: a backtest must never call it, not even in a dry run. */
    private Action patch() {
        return new Action() {
            @Override
            public String name() {
                return "patch";
            }

            @Override
            public String description() {
                return "counts calls";
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
                calls.incrementAndGet();
                return ActionResult.empty();
            }
        };
    }

    private static Runbook runbook(String id, String cause, Safety safety) {
        return Runbook.builder(id).trigger(Trigger.builder().rootCauseReason(cause).minConfidence(0.8).build())
                .safety(safety).step(ActionStep.builder("fix", "patch").build()).build();
    }

    private List<Runbook> library() {
        return List.of(
                runbook("oom-v1", "OOMKilled", Safety.builder().maxExecutionsPerHour(3).dryRunFirst(true)
                        .requireApproval(true).build()),
                runbook("disk-v1", "DiskPressure", Safety.builder().cooldown(Duration.ofMinutes(30)).build()),
                runbook("net-v1", "NetworkDown", Safety.none()));
    }

    private Backtest backtest() {
        Action a = patch();
        return Backtest.builder().runbooks(library()).discoverActions(false).actionProvider(() -> List.of(a))
                .executionTime(Duration.ofMinutes(10)).build();
    }

    private static Incident incident(String id, String cause, double confidence, String pod, int minutes) {
        return Incident.builder(id).symptomReason("CrashLoopBackOff").rootCause(cause, confidence)
                .resource("Pod", "default", pod).eventTime(T0.plus(Duration.ofMinutes(minutes))).build();
    }

    private static RecordedExecution ran(String runbook, int minutes) {
        return new RecordedExecution("exec-" + minutes, runbook, ExecutionStatus.SUCCEEDED, Optional.empty(),
                T0.plus(Duration.ofMinutes(minutes)));
    }

    @Test
    void replaysRateLimitCooldownAndDedupeInEventTimeOrderWithoutRunningAnything() {
        var history = new ArrayList<HistoricalIncident>();
        // a burst of OOMs on different pods against max_executions_per_hour 3
        for (int i = 0; i < 5; i++) {
            history.add(HistoricalIncident.of(incident("oom-" + i, "OOMKilled", 0.9, "web-" + i, i * 5)));
        }
        history.add(HistoricalIncident.of(incident("oom-late", "OOMKilled", 0.9, "web-9", 61)));
        // cooldown 30m per resource
        history.add(HistoricalIncident.of(incident("disk-1", "DiskPressure", 0.9, "db-1", 120)));
        history.add(HistoricalIncident.of(incident("disk-2", "DiskPressure", 0.9, "db-1", 130)));
        history.add(HistoricalIncident.of(incident("disk-other", "DiskPressure", 0.9, "db-2", 130)));
        history.add(HistoricalIncident.of(incident("disk-3", "DiskPressure", 0.9, "db-1", 151)));
        // a run holds its dedupe locks for the assumed 10 minutes
        history.add(HistoricalIncident.of(incident("net-1", "NetworkDown", 0.9, "api-1", 180)));
        history.add(HistoricalIncident.of(incident("net-2", "NetworkDown", 0.9, "api-1", 185)));
        history.add(HistoricalIncident.of(incident("net-3", "NetworkDown", 0.9, "api-1", 191)));
        // nothing matches
        history.add(HistoricalIncident.of(incident("low", "OOMKilled", 0.5, "web-7", 200)));
        history.add(HistoricalIncident.of(incident("other", "Evicted", 0.9, "web-8", 201)));

        BacktestReport report = backtest().run(history.stream());

        assertThat(report.decisions()).extracting(BacktestDecision::incidentId, BacktestDecision::outcome,
                d -> d.deniedBy().orElse("")).containsExactly(
                tuple3("oom-0", BacktestOutcome.WOULD_RUN, ""), tuple3("oom-1", BacktestOutcome.WOULD_RUN, ""),
                tuple3("oom-2", BacktestOutcome.WOULD_RUN, ""),
                tuple3("oom-3", BacktestOutcome.WOULD_DENY, "rate_limit"),
                tuple3("oom-4", BacktestOutcome.WOULD_DENY, "rate_limit"),
                tuple3("oom-late", BacktestOutcome.WOULD_RUN, ""),
                tuple3("disk-1", BacktestOutcome.WOULD_RUN, ""),
                tuple3("disk-2", BacktestOutcome.WOULD_DENY, "rate_limit"),
                tuple3("disk-other", BacktestOutcome.WOULD_RUN, ""),
                tuple3("disk-3", BacktestOutcome.WOULD_RUN, ""),
                tuple3("net-1", BacktestOutcome.WOULD_RUN, ""),
                tuple3("net-2", BacktestOutcome.WOULD_DENY, "dedupe"),
                tuple3("net-3", BacktestOutcome.WOULD_RUN, ""),
                tuple3("low", BacktestOutcome.NO_MATCH, ""),
                tuple3("other", BacktestOutcome.NO_MATCH, ""));
        BacktestDecision oom3 = report.decisions().get(3);
        assertThat(oom3.denial().orElseThrow().reason()).startsWith("max_executions_per_hour 3 for runbook oom-v1 reached");
        assertThat(oom3.matchExplanation()).startsWith("matched: ");
        assertThat(report.decisions().get(7).denial().orElseThrow().reason())
                .startsWith("cooldown 30m for runbook disk-v1 on Pod/default/db-1");
        assertThat(report.decisions().get(11).denial().orElseThrow().reason()).contains("Pod/default/api-1");
        assertThat(report.decisions().get(13).matchExplanation()).startsWith("no runbook matches: ").contains("oom-v1: ");
        // dry run and approval are not replayed; no action was called
        assertThat(report.decisions().get(0).guardDecisions()).extracting(g -> g.guard())
                .containsExactly("enabled", "confidence", "dedupe", "rate_limit");
        assertThat(calls).hasValue(0);
        assertThat(report.perRunbook()).extracting(RunbookSummary::runbookId, RunbookSummary::wouldRun,
                RunbookSummary::wouldDeny).containsExactly(org.assertj.core.groups.Tuple.tuple("oom-v1", 4L, 2L),
                org.assertj.core.groups.Tuple.tuple("disk-v1", 3L, 1L),
                org.assertj.core.groups.Tuple.tuple("net-v1", 2L, 1L));
    }

    private static org.assertj.core.groups.Tuple tuple3(Object a, Object b, Object c) {
        return org.assertj.core.groups.Tuple.tuple(a, b, c);
    }

    @Test
    void comparesEachDecisionWithWhatTheAuditRecorded() {
        var history = List.of(
                new HistoricalIncident(incident("a", "OOMKilled", 0.9, "p1", 0), List.of(ran("oom-v1", 0))),
                new HistoricalIncident(incident("b", "OOMKilled", 0.9, "p1", 1), List.of(ran("oom-v1", 1))),
                new HistoricalIncident(incident("c", "Evicted", 0.9, "p2", 2), List.of(ran("old-evict", 2))),
                new HistoricalIncident(incident("d", "NetworkDown", 0.9, "p3", 3), List.of(new RecordedExecution("x",
                        "net-v1", ExecutionStatus.DENIED, Optional.of("approval"), T0.plusSeconds(180)))),
                HistoricalIncident.of(incident("e", "NetworkDown", 0.9, "p4", 4)));

        BacktestReport report = backtest().run(history);

        assertThat(report.decisions()).extracting(BacktestDecision::comparison).containsExactly(Comparison.SAME,
                Comparison.DIFFERENT, Comparison.DIFFERENT, Comparison.DIFFERENT, Comparison.NOT_RECORDED);
        assertThat(report.decisions().get(1).difference()).hasValue(
                "would be denied by dedupe (oom-v1), ran oom-v1 (succeeded)");
        assertThat(report.decisions().get(2).difference()).hasValue("would match no runbook, ran old-evict (succeeded)");
        assertThat(report.decisions().get(3).difference()).hasValue("would run net-v1, was denied by approval (net-v1)");
        assertThat(report.perRunbook()).extracting(RunbookSummary::runbookId).containsExactly("oom-v1", "disk-v1",
                "net-v1", "old-evict");
        assertThat(report.perRunbook().get(3)).isEqualTo(new RunbookSummary("old-evict", 0, 0, 0, Map.of(), 1, 1));
        assertThat(report.table()).contains("differences with the audit:")
                .contains("would match no runbook, ran old-evict (succeeded)");
    }

    @Test
    void jsonAndHtmlCarryEveryDecisionAndEscapeIncidentText() {
        String hostile = "<script>alert(1)</script>\u001b[31m";
        var history = List.of(HistoricalIncident.of(incident(hostile, "OOMKilled", 0.9, "p1", 0)),
                HistoricalIncident.of(incident("n", "Other", 0.9, "p\"2'", 5)));
        BacktestReport report = backtest().run(history);

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(report.json());
        assertThat(json.get("incidents")).isEqualTo(2L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> decisions = (List<Map<String, Object>>) json.get("decisions");
        assertThat(decisions).extracting(d -> d.get("incident_id"), d -> d.get("outcome"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(hostile, "would_run"),
                        org.assertj.core.groups.Tuple.tuple("n", "no_match"));

        String html = report.html();
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("Pod/default/p&quot;2&#39;").doesNotContain("\u001b").contains("<svg id=\"timeline\"")
                // self-contained: nothing is loaded (the only URL is the SVG namespace, which is never fetched)
                .doesNotContain("src=", "<link", "@import", "url(", "https://");
        assertThat(report.table()).doesNotContain("\u001b");
    }

    @Test
    void refusesHistoryOutOfOrderOrWithoutEventTimes() {
        Backtest b = backtest();
        Stream<HistoricalIncident> backwards = Stream.of(HistoricalIncident.of(incident("late", "OOMKilled", 0.9, "p", 10)),
                HistoricalIncident.of(incident("early", "OOMKilled", 0.9, "p", 5)));
        assertThatThrownBy(() -> b.run(backwards)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("incident 'early' at 2026-03-01T10:05:00Z comes after 'late'");
        Incident timeless = Incident.builder("t").rootCause("OOMKilled", 0.9).resource("Pod", "default", "p").build();
        assertThatThrownBy(() -> b.run(List.of(HistoricalIncident.of(timeless))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("incident 't' has no event time");
        assertThatThrownBy(() -> Backtest.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runbooks(...)");
        assertThatThrownBy(() -> Backtest.builder().executionTime(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
