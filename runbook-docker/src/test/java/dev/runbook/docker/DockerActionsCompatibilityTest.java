package dev.runbook.docker;

import dev.runbook.core.action.ActionProvider;
import dev.runbook.testkit.ActionProviderCompatibilityKit;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.testkit.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The core's compatibility kit for {@link DockerActions} against the real engine: the dry run of every mutating
 * action (restart, scale up, env update, rollback with a recorded change) must leave every container as it was.
 */
class DockerActionsCompatibilityTest extends ActionProviderCompatibilityKit {
    private static final String P = "rbt-kit-";
    private static PodmanEngine engine;
    private static DockerActions provider;

    @BeforeAll
    static void containers() {
        engine = PodmanEngine.get();
        engine.removeAll(P);
        engine.run(P + "web-1", Map.of(DockerActions.COMPOSE_SERVICE_LABEL, "kitweb"), Map.of("LOG_LEVEL", "info"), 0,
                "sh", "-c", "echo hello; " + DockerTestSupport.LOOP);
        var history = new InMemoryContainerHistory();
        provider = DockerTestSupport.actions(engine, history);
        // a recorded change, so that the dry run of rollback-deployment has something it would restore
        var info = engine.client().inspectContainerCmd(P + "web-1").exec();
        var spec = new ContainerSpec(P + "web-1", engine.image(), Arrays.asList(info.getConfig().getCmd()), List.of(),
                Map.of("LOG_LEVEL", "debug"), Map.of(), "", "", 0, 0, 0, 0, "no", "none", List.of(), Map.of(), Map.of(),
                true);
        history.record("exec-earlier", Instant.now(), "update-env-vars", HistoryEntry.Kind.CONTAINER, P + "web-1", "",
                List.of(spec));
    }

    @AfterAll
    static void cleanup() {
        engine.removeAll(P);
    }

    @Override
    protected ActionProvider provider() {
        return provider;
    }

    @Override
    protected Map<String, Map<String, Object>> validParams() {
        return Map.of(
                "restart-container", Map.of("container", P + "web-1"),
                "scale-service", Map.of("service", "kitweb", "replicas", 3),
                "update-env-vars", Map.of("container", P + "web-1", "env", Map.of("LOG_LEVEL", "debug")),
                "rollback-deployment", Map.of("container", P + "web-1"),
                "container-metrics", Map.of("container", P + "web-1", "interval", "100ms"),
                "container-logs", Map.of("container", P + "web-1", "tail", 10));
    }

    @Override
    protected TestActionContext.Builder contextFor(String action) {
        return super.contextFor(action).clock(new TestClock(Instant.now()))
                .runbook(DockerTestSupport.runbook(DockerSafety.builder().envWhitelist(List.of("LOG_LEVEL")).build()));
    }

    /** Every container of the engine: id, name, state, start time and env. */
    @Override
    protected Object externalState() {
        var out = new ArrayList<String>();
        for (var c : engine.client().listContainersCmd().withShowAll(true).exec()) {
            var i = engine.client().inspectContainerCmd(c.getId()).exec();
            out.add(i.getId() + " " + i.getName() + " " + i.getState().getStatus() + " " + i.getState().getStartedAt()
                    + " " + Arrays.toString(i.getConfig().getEnv()));
        }
        out.sort(null);
        return out;
    }
}
