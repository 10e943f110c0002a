package dev.runbook.temporal.internal;

import dev.runbook.core.engine.StepExecutor;
import dev.runbook.core.model.Incident;

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
                in.index(), in.rollback(), in.variables(), java.util.Set.copyOf(in.heldLocks())));
        return new Payloads.StepOutput(run.results(), run.variables(), run.actionsTaken(), run.failedStep().orElse(""),
                run.error().orElse(""), run.onFailure().name());
    }
}
