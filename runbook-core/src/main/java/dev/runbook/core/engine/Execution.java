package dev.runbook.core.engine;

import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.MatchReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The record of handling one incident: which runbook, what the guards decided, the dry run, the real
 * steps, the rollback, the notifications. Listeners receive it for audit and metrics.
 *
 * @param id             execution id
 * @param runbookId      the runbook run (empty for {@link ExecutionStatus#NO_MATCH})
 * @param runbookVersion its version
 * @param incidentId     the incident
 * @param status         how it ended
 * @param match          why this runbook was chosen and others were not
 * @param guardDecisions every guard's decision, in order
 * @param approval       the approval decision, when one was needed
 * @param dryRunSteps    the dry run's step results
 * @param steps          the real execution's step results
 * @param rollbackSteps  the rollback's step results
 * @param actionsTaken   one line per change made ({@code patched Deployment default/web: memory 256Mi -> 512Mi})
 * @param notifications  notifications sent
 * @param error          why it failed or was denied
 * @param executedBy     who runs the engine ({@code system} by default)
 * @param startedAt      start (engine clock)
 * @param finishedAt     end
 * @param escalatedTo    the execution of the next matching runbook this one handed the incident to after its
 *                       rollback ({@code on_failure: escalate}); that one may escalate in turn ({@link #chain()})
 */
public record Execution(String id, String runbookId, String runbookVersion, String incidentId, ExecutionStatus status,
                        MatchReport match, List<GuardDecision> guardDecisions, Optional<ApprovalDecision> approval,
                        List<StepResult> dryRunSteps, List<StepResult> steps, List<StepResult> rollbackSteps,
                        List<String> actionsTaken, List<NotificationResult> notifications, Optional<String> error,
                        String executedBy, Instant startedAt, Instant finishedAt, Optional<Execution> escalatedTo) {
    public Execution {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(runbookId, "runbookId");
        Objects.requireNonNull(runbookVersion, "runbookVersion");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(match, "match");
        guardDecisions = List.copyOf(guardDecisions);
        Objects.requireNonNull(approval, "approval");
        dryRunSteps = List.copyOf(dryRunSteps);
        steps = List.copyOf(steps);
        rollbackSteps = List.copyOf(rollbackSteps);
        actionsTaken = List.copyOf(actionsTaken);
        notifications = List.copyOf(notifications);
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(executedBy, "executedBy");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(escalatedTo, "escalatedTo");
    }

    /** An execution that escalated to nothing. */
    public Execution(String id, String runbookId, String runbookVersion, String incidentId, ExecutionStatus status,
                     MatchReport match, List<GuardDecision> guardDecisions, Optional<ApprovalDecision> approval,
                     List<StepResult> dryRunSteps, List<StepResult> steps, List<StepResult> rollbackSteps,
                     List<String> actionsTaken, List<NotificationResult> notifications, Optional<String> error,
                     String executedBy, Instant startedAt, Instant finishedAt) {
        this(id, runbookId, runbookVersion, incidentId, status, match, guardDecisions, approval, dryRunSteps, steps,
                rollbackSteps, actionsTaken, notifications, error, executedBy, startedAt, finishedAt, Optional.empty());
    }

    /** This record linked to the execution it escalated to. */
    public Execution withEscalatedTo(Execution next) {
        return new Execution(id, runbookId, runbookVersion, incidentId, status, match, guardDecisions, approval,
                dryRunSteps, steps, rollbackSteps, actionsTaken, notifications, error, executedBy, startedAt,
                finishedAt, Optional.of(next));
    }

    /**
     * The escalation chain this execution starts: itself, then each execution it escalated to, in order. The last
     * one's status is how the incident ended.
     */
    public List<Execution> chain() {
        var out = new java.util.ArrayList<Execution>();
        for (Optional<Execution> e = Optional.of(this); e.isPresent(); e = e.get().escalatedTo()) {
            out.add(e.get());
        }
        return List.copyOf(out);
    }

    /** The incident handled (the one the match report was made for). */
    public dev.runbook.core.model.Incident incident() {
        return match.incident();
    }

    /** How long it took. */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /** The first guard that refused, if any. */
    public Optional<GuardDecision> denial() {
        return guardDecisions.stream().filter(d -> !d.allowed()).findFirst();
    }

    /** Distinct resources the real execution touched. */
    public List<TouchedResource> touched() {
        var seen = new java.util.LinkedHashMap<String, TouchedResource>();
        for (StepResult s : steps) {
            for (TouchedResource t : s.touched()) {
                seen.putIfAbsent(t.key(), t);
            }
        }
        return List.copyOf(seen.values());
    }

    /** The step result of this name in the real execution. */
    public Optional<StepResult> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
