package dev.runbook.core.engine.internal;

import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.Incident;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the host's listeners so that nothing they throw, an {@link Error} included, changes an execution or
 * stops another listener from hearing of it.
 */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    static void executionStarted(List<ExecutionListener> listeners, String executionId, Incident incident,
                                 MatchReport match) {
        each(listeners, l -> l.executionStarted(executionId, incident, match), "the start", executionId);
    }

    static void guardDecided(List<ExecutionListener> listeners, String executionId, String runbookId, GuardDecision d) {
        each(listeners, l -> l.guardDecided(executionId, runbookId, d), "guard " + d.guard(), executionId);
    }

    static void approvalRequested(List<ExecutionListener> listeners, ApprovalRequest request) {
        each(listeners, l -> l.approvalRequested(request), "the approval request", request.executionId());
    }

    static void stepStarted(List<ExecutionListener> listeners, String executionId, String runbookId,
                            StepResult.Start s) {
        each(listeners, l -> l.stepStarted(executionId, runbookId, s), "the start of step " + s.name(), executionId);
    }

    static void stepFinished(List<ExecutionListener> listeners, String executionId, String runbookId, StepResult r) {
        each(listeners, l -> l.stepFinished(executionId, runbookId, r), "step " + r.name(), executionId);
    }

    static void rollbackStarted(List<ExecutionListener> listeners, String executionId, String runbookId, String reason) {
        each(listeners, l -> l.rollbackStarted(executionId, runbookId, reason), "the rollback's start", executionId);
    }

    static void executionFinished(List<ExecutionListener> listeners, Execution e) {
        each(listeners, l -> l.executionFinished(e), "the end", e.id());
    }

    private static void each(List<ExecutionListener> listeners, Consumer<ExecutionListener> call, String what,
                             String executionId) {
        for (ExecutionListener l : listeners) {
            try {
                call.accept(l);
            } catch (Throwable t) { // NOPMD: a listener must never end a run, whatever it throws
                LOG.warn("execution listener {} failed on {} of execution {}", l.getClass().getName(), what,
                        executionId, t);
            }
        }
    }
}
