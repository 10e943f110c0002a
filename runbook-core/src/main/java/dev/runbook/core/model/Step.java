package dev.runbook.core.model;

import java.util.Optional;

/**
 * A node of a runbook's step graph: either an {@link ActionStep} that calls an action or a
 * {@link BranchStep} that chooses between two sub-graphs.
 */
public sealed interface Step permits ActionStep, BranchStep {

    /** The step's name, unique within its runbook. */
    String name();

    /** A condition over the variables; when it is false the step is skipped. */
    Optional<String> when();

    /** What a failure of this step does to the execution. */
    OnFailure onFailure();
}
