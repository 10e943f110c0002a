package dev.runbook.core.engine.internal;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.StepResult;
import java.util.List;
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

    static void stepFinished(List<ExecutionListener> listeners, String executionId, String runbookId, StepResult r) {
        for (ExecutionListener l : listeners) {
            try {
                l.stepFinished(executionId, runbookId, r);
            } catch (Throwable t) { // NOPMD: a listener must never end a run, whatever it throws
                LOG.warn("execution listener {} failed on step {} of execution {}", l.getClass().getName(), r.name(),
                        executionId, t);
            }
        }
    }

    static void executionFinished(List<ExecutionListener> listeners, Execution e) {
        for (ExecutionListener l : listeners) {
            try {
                l.executionFinished(e);
            } catch (Throwable t) { // NOPMD: every listener hears of every execution
                LOG.warn("execution listener {} failed for execution {}", l.getClass().getName(), e.id(), t);
            }
        }
    }
}
