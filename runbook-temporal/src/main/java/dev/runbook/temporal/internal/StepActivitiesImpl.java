package dev.runbook.temporal.internal;

import dev.runbook.core.engine.StepExecutor;
import dev.runbook.core.model.Incident;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Runs steps with a worker's {@link StepExecutor}. A step's failure is a result, never an activity failure. */
public final class StepActivitiesImpl implements StepActivities {
    private final StepExecutor steps;

    /** Runs steps with {@code steps}. */
    public StepActivitiesImpl(StepExecutor steps) {
        this.steps = steps;
    }

    @Override
    public Payloads.StepOutput runStep(Payloads.StepInput in) {
        var run = steps.run(new StepExecutor.StepCall(in.executionId(), in.runbookId(), Incident.fromMap(in.incident()),
                in.index(), in.rollback(), in.variables(), Set.copyOf(in.heldLocks()), in.attempt(),
                in.fixed() == null ? Map.of() : in.fixed()));
        return new Payloads.StepOutput(run.results(), run.variables(), run.actionsTaken(), run.failedStep().orElse(""),
                run.error().orElse(""), run.onFailure().name(), run.retryAfter().isPresent(),
                run.retryAfter().map(Duration::toMillis).orElse(0L), run.fixed(), run.abandoned());
    }

    @Override
    public void stepEvent(Payloads.StepEvent e) {
        switch (e.kind()) {
            case "started" -> steps.stepStarted(e.executionId(), e.runbookId(), e.start());
            case "finished" -> steps.stepFinished(e.executionId(), e.runbookId(), e.result());
            case "rollbackStarted" -> steps.rollbackStarted(e.executionId(), e.runbookId(), e.reason());
            default -> throw new IllegalArgumentException("unknown step event '" + e.kind() + "'");
        }
    }
}
