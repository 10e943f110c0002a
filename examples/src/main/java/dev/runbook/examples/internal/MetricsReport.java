package dev.runbook.examples.internal;

import dev.runbook.micrometer.RunbookMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The lines the demo prints for the metrics its engine recorded through {@link RunbookMetrics}. */
public final class MetricsReport {
    private MetricsReport() {
    }

    /** One line per execution counter, denied guard and step timer, sorted. */
    public static List<String> lines(MeterRegistry registry) {
        var out = new ArrayList<String>();
        registry.find(RunbookMetrics.EXECUTIONS).counters().stream()
                .sorted(Comparator.comparing(c -> c.getId().getTag("runbook") + c.getId().getTag("status")))
                .forEach(c -> out.add(String.format(Locale.ROOT, "  %s{runbook=%s, status=%s} %.0f", RunbookMetrics.EXECUTIONS,
                        c.getId().getTag("runbook"), c.getId().getTag("status"), c.count())));
        registry.find(RunbookMetrics.GUARD_DECISIONS).tag("outcome", "denied").counters().stream()
                .sorted(Comparator.comparing((Counter c) -> c.getId().getTag("runbook")))
                .forEach(c -> out.add(String.format(Locale.ROOT, "  %s{runbook=%s, guard=%s, outcome=denied} %.0f",
                        RunbookMetrics.GUARD_DECISIONS, c.getId().getTag("runbook"), c.getId().getTag("guard"), c.count())));
        registry.find(RunbookMetrics.STEP_DURATION).timers().stream()
                .sorted(Comparator.comparing((Timer t) -> t.getId().getTag("runbook") + t.getId().getTag("phase")
                        + t.getId().getTag("action")))
                .forEach(t -> out.add(String.format(Locale.ROOT, "  %s{runbook=%s, phase=%s, action=%s, status=%s} %d, %.0f ms",
                        RunbookMetrics.STEP_DURATION, t.getId().getTag("runbook"), t.getId().getTag("phase"),
                        t.getId().getTag("action"), t.getId().getTag("status"), t.count(), t.totalTime(TimeUnit.MILLISECONDS))));
        out.add(String.format(Locale.ROOT, "  %s %.0f", RunbookMetrics.RUNNING,
                registry.get(RunbookMetrics.RUNNING).gauge().value()));
        return out;
    }
}
