package dev.runbook.temporal;

import io.temporal.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Temporal test server per test, and what the test opened on it (engines, workers), closed newest
 * first after the test. {@code beforeClose} frees test actions still blocked, so that closing a worker does not wait
 * for them.
 */
final class TemporalTestServer implements BeforeEachCallback, AfterEachCallback {
    private final Runnable beforeClose;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestWorkflowEnvironment env;

    TemporalTestServer(Runnable beforeClose) {
        this.beforeClose = Objects.requireNonNull(beforeClose, "beforeClose");
    }

    /** The test's server (time skipping). */
    TestWorkflowEnvironment env() {
        return env;
    }

    /** The one runbook of {@code yaml}, loaded with {@code registry}; the test fails on any diagnostic. */
    static dev.runbook.core.model.Runbook load(String yaml, String file, dev.runbook.core.action.ActionRegistry registry) {
        var loaded = dev.runbook.dsl.RunbookLoader.builder().actions(registry).build().loadString(yaml, file);
        org.assertj.core.api.Assertions.assertThat(loaded.diagnostics()).isEmpty();
        return loaded.runbooks().get(0).runbook();
    }

    /**
     * Started workers (workflows and steps) for {@code engine} on the test server, closed after the test. They keep
     * no workflow in memory, so every workflow task replays the history and no task waits on the sticky queue of a
     * worker that is gone, which the test server, its clock standing still, would never time out.
     */
    RunbookWorkers workers(dev.runbook.core.engine.RunbookEngine engine) {
        RunbookWorkers w = RunbookWorkers.builder().workflowCacheSize(0).client(env.getWorkflowClient()).engine(engine)
                .shutdownWait(java.time.Duration.ofMillis(200)).deadlockDetectionTimeout(java.time.Duration.ofSeconds(30))
                .build();
        closeAfter(w);
        return w.start();
    }

    /** Closes {@code c} after the test, before anything opened earlier. */
    void closeAfter(AutoCloseable c) {
        closing.add(c);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        env = TestWorkflowEnvironment.newInstance();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        beforeClose.run();
        try {
            for (int i = closing.size() - 1; i >= 0; i--) {
                closing.get(i).close();
            }
        } finally {
            closing.clear();
            env.close();
        }
    }
}
