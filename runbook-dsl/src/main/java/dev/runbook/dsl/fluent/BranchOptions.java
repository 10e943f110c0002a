package dev.runbook.dsl.fluent;

import dev.runbook.core.model.OnFailure;

/**
 * What may be said about a branch besides its sub-steps.
 *
 * @param <S> the stage returned, so that calls chain
 */
public interface BranchOptions<S> {

    /** Evaluate the branch at all only when this expression holds. */
    S when(String condition);

    /** What a failure inside the branch does; the default is {@link OnFailure#ROLLBACK}. */
    S onFailure(OnFailure onFailure);
}
