package dev.runbook.core.backtest;

import dev.runbook.core.model.Incident;
import java.util.List;
import java.util.Objects;

/**
 * One incident of the history, with what the audit recorded for it.
 *
 * @param incident the incident as the engine would have received it; its event time places it on the timeline
 * @param recorded the executions the audit holds for it (empty when none was recorded)
 */
public record HistoricalIncident(Incident incident, List<RecordedExecution> recorded) {
    public HistoricalIncident {
        Objects.requireNonNull(incident, "incident");
        recorded = List.copyOf(recorded);
    }

    /** An incident with nothing recorded. */
    public static HistoricalIncident of(Incident incident) {
        return new HistoricalIncident(incident, List.of());
    }
}
