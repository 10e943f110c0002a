package dev.runbook.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a per-container limit counts the containers an action resolves, never the text that named them. Each
 * call is one execution whose incident resource is what the call names (a container name, an id or a selector's
 * text), exactly as the MCP executor tools build them; before the fix the engine keyed the count on that text, so
 * {@code "app=web2 "}, {@code " app=web2"} and {@code "app=web2,app=web2"} each restarted the container again.
 */
class PerContainerLimitTest {
    private static final String P = "rbt-limit-";
    private static PodmanEngine engine;
    private final TestClock clock = new TestClock(Instant.now());
    private final GuardStore guards = new InMemoryGuardStore();
    private final DockerActions actions = DockerActions.builder().client(engine.client(), engine.host())
            .stopTimeout(Duration.ZERO).startupGrace(Duration.ofSeconds(1)).build();
    private final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    static void containers() {
        engine = PodmanEngine.get();
        engine.removeAll(P);
    }

    @AfterAll
    static void cleanup() {
        engine.removeAll(P);
    }

    /** One tool call: a one-step runbook whose step takes the arguments literally, on the resource the call names. */
    private Execution call(String action, Safety safety, ResourceRef named, Map<String, Object> args) {
        var step = ActionStep.builder(action, action);
        args.forEach(step::param);
        Runbook rb = Runbook.builder("tool-" + action).trigger(Trigger.any()).safety(safety).step(step.build()).build();
        try (RunbookEngine e = RunbookEngine.builder().discoverActions(false).clock(clock).guardStore(guards)
                .actionProvider(actions).runbook(rb).build()) {
            Execution ex = e.handle(Incident.builder("call-" + ids.incrementAndGet()).rootCause("MCP_TOOL_CALL", 1.0)
                    .resource(named).build());
            clock.advance(Duration.ofSeconds(6));
            return ex;
        }
    }

    private static String started(String name) {
        return engine.client().inspectContainerCmd(name).exec().getState().getStartedAt();
    }

    private static String why(Execution e) {
        return e.denial().map(d -> d.guard() + ": " + d.reason()).or(e::error).orElse("");
    }

    @Test
    void restartsBySelectorTextVariantsOrIdCountAgainstTheSameContainer() {
        String name = P + "web2";
        String id = engine.run(name, Map.of("app", "rbt-limit-web2"), Map.of(), 0, "sh", "-c", DockerTestSupport.LOOP);
        Safety safety = DockerSafety.builder().dryRunFirst(true).build();
        for (int i = 0; i < 3; i++) {
            Execution byName = call("restart-container", safety, ResourceRef.of("Container", "", name),
                    Map.of("container", name, "timeout", "0s"));
            assertThat(byName.status()).as("restart %s by name: %s", i + 1, why(byName)).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
        String before = started(name);
        for (String selector : List.of("app=rbt-limit-web2 ", " app=rbt-limit-web2", "app=rbt-limit-web2,app=rbt-limit-web2")) {
            Execution e = call("restart-container", safety, ResourceRef.of("Selector", "", selector),
                    Map.of("selector", selector, "timeout", "0s"));
            assertThat(e.status()).as("selector '%s'", selector).isEqualTo(ExecutionStatus.DENIED);
            assertThat(why(e)).as("selector '%s'", selector).startsWith("dry_run: ")
                    .contains("max_action_per_resource_per_hour restart-container 3 on Container/" + name + " reached")
                    .contains("selector '" + selector + "'");
        }
        Execution byId = call("restart-container", safety, ResourceRef.of("Container", "", id),
                Map.of("container", id, "timeout", "0s"));
        assertThat(byId.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(why(byId)).contains("restart-container 3 on Container/" + name);
        assertThat(started(name)).as("no fourth restart happened").isEqualTo(before);

        // without a dry run first the real run refuses as well, before touching the container
        Execution noDryRun = call("restart-container", DockerSafety.seedDefaults(), ResourceRef.of("Selector", "", "app=rbt-limit-web2 "),
                Map.of("selector", "app=rbt-limit-web2 ", "timeout", "0s"));
        assertThat(noDryRun.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(why(noDryRun)).contains("max_action_per_resource_per_hour restart-container 3 on Container/" + name);
        assertThat(started(name)).isEqualTo(before);

        // the count slides: an hour later the container may be restarted again, by any text
        clock.advance(Duration.ofHours(1));
        assertThat(call("restart-container", safety, ResourceRef.of("Selector", "", " app=rbt-limit-web2"),
                Map.of("selector", " app=rbt-limit-web2", "timeout", "0s")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void anEnvUpdateByIdCountsAgainstTheContainerItRecreatedUnderItsName() {
        String name = P + "env";
        engine.run(name, Map.of(), Map.of("LOG_LEVEL", "info"), 0, "sh", "-c", DockerTestSupport.LOOP);
        Safety safety = DockerSafety.builder().dryRunFirst(true).envWhitelist(List.of("LOG_LEVEL"))
                .maxActionPerResourcePerHour(Map.of("update-env-vars", 1)).build();
        Execution first = call("update-env-vars", safety, ResourceRef.of("Container", "", name),
                Map.of("container", name, "env", Map.of("LOG_LEVEL", "debug")));
        assertThat(first.status()).as(why(first)).isEqualTo(ExecutionStatus.SUCCEEDED);
        // the recreated container has a new id; naming it by that id is still the same container
        String newId = engine.client().inspectContainerCmd(name).exec().getId();
        Execution second = call("update-env-vars", safety, ResourceRef.of("Container", "", newId),
                Map.of("container", newId, "env", Map.of("LOG_LEVEL", "warn")));
        assertThat(second.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(why(second)).contains("max_action_per_resource_per_hour update-env-vars 1 on Container/" + name);
        assertThat(engine.client().inspectContainerCmd(name).exec().getConfig().getEnv()).contains("LOG_LEVEL=debug");
    }

    @Test
    void aScaleNamingTheProjectOrNotCountsAgainstTheSameService() {
        engine.run(P + "svc-1", Map.of(DockerActions.COMPOSE_SERVICE_LABEL, "rbt-limit-svc",
                DockerActions.COMPOSE_PROJECT_LABEL, "rbt"), Map.of(), 0, "sh", "-c", DockerTestSupport.LOOP);
        Safety safety = DockerSafety.builder().dryRunFirst(true).maxActionPerResourcePerHour(Map.of("scale-service", 1))
                .build();
        Execution up = call("scale-service", safety, ResourceRef.of("Service", "", "rbt-limit-svc"),
                Map.of("service", "rbt-limit-svc", "replicas", 2));
        assertThat(up.status()).as(why(up)).isEqualTo(ExecutionStatus.SUCCEEDED);
        Execution again = call("scale-service", safety, ResourceRef.of("Service", "rbt", "rbt-limit-svc"),
                Map.of("service", "rbt-limit-svc", "project", "rbt", "replicas", 1));
        assertThat(again.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(why(again)).contains("max_action_per_resource_per_hour scale-service 1 on Service/"
                + DockerActions.COMPOSE_SERVICE_LABEL + "=rbt-limit-svc");
    }
}
