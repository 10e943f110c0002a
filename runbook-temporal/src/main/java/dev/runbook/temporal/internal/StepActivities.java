package dev.runbook.temporal.internal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The activities: a step of a runbook (or one attempt of it), run by the worker's engine, and step events. */
@ActivityInterface
public interface StepActivities {
    /** Runs one step. */
    @ActivityMethod(name = "RunbookStep")
    Payloads.StepOutput runStep(Payloads.StepInput input);

    /** Tells the worker engine's listeners about a step it did not run. */
    @ActivityMethod(name = "RunbookStepEvent")
    void stepEvent(Payloads.StepEvent event);
}
