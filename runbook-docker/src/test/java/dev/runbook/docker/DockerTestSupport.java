package dev.runbook.docker;

import dev.runbook.core.action.Action;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.model.Runbook;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Contexts for running Docker actions against the real engine. */
final class DockerTestSupport {
    private static final java.util.concurrent.atomic.AtomicLong EXECUTIONS = new java.util.concurrent.atomic.AtomicLong();
    static final String LOOP = "while true; do sleep 1; done";

    private DockerTestSupport() {
    }

    static DockerActions actions(PodmanEngine engine, ContainerHistory history) {
        return DockerActions.builder().client(engine.client(), engine.host()).history(history)
                .stopTimeout(Duration.ZERO).startupGrace(Duration.ofSeconds(1)).build();
    }

    static Action action(DockerActions actions, String name) {
        return actions.actions().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * A context whose sleeps really wait: the actions poll a real engine. The clock starts at the real now so that
     * log windows line up with the engine's timestamps.
     */
    static TestActionContext.Builder ctx(Action action, Map<String, ?> params, Runbook runbook) {
        // each call is its own execution, as each step of different runbook executions would be
        return TestActionContext.builder(action).executionId("exec-" + EXECUTIONS.incrementAndGet()).params(params).runbook(runbook).clock(new TestClock(Instant.now()))
                .onSleep(DockerTestSupport::realSleep);
    }

    static void realSleep(Duration d) {
        try {
            // the container engine is a real process: waiting for it takes real time
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Runbook runbook(dev.runbook.core.model.Safety safety) {
        return Runbook.builder("docker-test").name("Docker test").safety(safety).build();
    }
}
