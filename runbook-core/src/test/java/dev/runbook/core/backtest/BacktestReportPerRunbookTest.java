package dev.runbook.core.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.guard.Guard;
import dev.runbook.core.guard.GuardDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link BacktestReport#perRunbook} counts in one pass over the decisions; on any history it gives what the plain
 * definition gives (every runbook against every decision, kept here as the reference).
 */
class BacktestReportPerRunbookTest {
    private static final List<String> LIBRARY = List.of("oom", "disk", "crash");
    private static final List<String> ANY_RUNBOOK = List.of("oom", "disk", "crash", "retired", "other-host");

    @Property(tries = 300)
    void onePassCountsWhatTheDefinitionCounts(@ForAll("histories") List<BacktestDecision> decisions) {
        var report = new BacktestReport(decisions, LIBRARY, Duration.ofMinutes(5));
        assertThat(report.perRunbook()).isEqualTo(reference(report));
    }

    @Provide
    Arbitrary<List<BacktestDecision>> histories() {
        Arbitrary<RecordedExecution> recorded = Combinators.combine(Arbitraries.of(ANY_RUNBOOK),
                Arbitraries.of(ExecutionStatus.class)).as((id, status) -> new RecordedExecution("e", id, status,
                Optional.empty(), Instant.EPOCH));
        Arbitrary<GuardDecision> denial = Arbitraries.of(Guard.class).map(g -> GuardDecision.deny(g, "no"));
        Arbitrary<BacktestDecision> decision = Combinators.combine(Arbitraries.of(BacktestOutcome.class),
                        Arbitraries.of(ANY_RUNBOOK).optional(0.8), denial.optional(0.5), recorded.list().ofMaxSize(3),
                        Arbitraries.of(Comparison.class))
                .as((outcome, runbook, deny, rec, comparison) -> new BacktestDecision("i", Instant.EPOCH, "s", "r",
                        0.9, "Pod/a/b", outcome, runbook, "", List.of(), deny, rec, comparison, Optional.empty()));
        return decision.list().ofMaxSize(40);
    }

    /** The definition, runbook by runbook over every decision (what perRunbook computed before it took one pass). */
    private static List<RunbookSummary> reference(BacktestReport report) {
        var ids = new java.util.LinkedHashSet<>(report.runbookIds());
        report.decisions().forEach(d -> d.recorded().stream().filter(RecordedExecution::ran)
                .forEach(r -> ids.add(r.runbookId())));
        var out = new ArrayList<RunbookSummary>();
        for (String id : ids) {
            long matched = 0;
            long run = 0;
            long deny = 0;
            long ran = 0;
            long diff = 0;
            Map<String, Long> by = new LinkedHashMap<>();
            for (Guard g : Guard.values()) {
                by.put(g.id(), 0L);
            }
            for (BacktestDecision d : report.decisions()) {
                boolean mine = d.runbookId().map(id::equals).orElse(false);
                boolean ranMine = d.recorded().stream().anyMatch(r -> r.ran() && r.runbookId().equals(id));
                if (mine) {
                    matched++;
                    if (d.outcome() == BacktestOutcome.WOULD_RUN) {
                        run++;
                    } else if (d.outcome() == BacktestOutcome.WOULD_DENY) {
                        deny++;
                        d.deniedBy().ifPresent(g -> by.merge(g, 1L, Long::sum));
                    }
                }
                if (ranMine) {
                    ran++;
                }
                if ((mine || ranMine) && d.comparison() == Comparison.DIFFERENT) {
                    diff++;
                }
            }
            by.values().removeIf(n -> n == 0);
            out.add(new RunbookSummary(id, matched, run, deny, by, ran, diff));
        }
        return out;
    }
}
