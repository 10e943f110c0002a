package dev.runbook.core.approval;

import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.model.Incident;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a person (or a policy) is asked to approve: the runbook, the incident, the planned steps as the
 * dry run rendered them and the resources they would touch.
 *
 * @param executionId    the execution waiting for the decision
 * @param runbookId      the runbook
 * @param runbookVersion its version
 * @param incident       the incident
 * @param plannedSteps   one line per step, rendered
 * @param touched        resources the dry run reported
 * @param requestedAt    when the engine asked
 */
public record ApprovalRequest(String executionId, String runbookId, String runbookVersion, Incident incident,
                              List<String> plannedSteps, List<TouchedResource> touched, Instant requestedAt) {
    public ApprovalRequest {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(runbookId, "runbookId");
        Objects.requireNonNull(runbookVersion, "runbookVersion");
        Objects.requireNonNull(incident, "incident");
        plannedSteps = List.copyOf(plannedSteps);
        touched = List.copyOf(touched);
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    /** Distinct resources the plan touches. */
    public long blastRadius() {
        return touched.stream().map(TouchedResource::key).distinct().count();
    }
}
