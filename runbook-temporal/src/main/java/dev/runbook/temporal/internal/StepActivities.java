package dev.runbook.temporal.internal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The one activity: a step of a runbook, run by the worker's engine. */
@ActivityInterface
public interface StepActivities {
    /** Runs one step. */
    @ActivityMethod(name = "RunbookStep")
    Payloads.StepOutput runStep(Payloads.StepInput input);
}
