package dev.runbook.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's safety profile enforced by the core engine's guards (InMemoryGuardStore, a TestClock) while
 * restart-container really restarts containers of the test engine.
 */
class DockerSafetyGuardsTest {
    private static final String P = "rbt-guard-";
    private static PodmanEngine engine;
    private final TestClock clock = new TestClock(Instant.now());
    private final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    static void containers() {
        engine = PodmanEngine.get();
        engine.removeAll(P);
        for (String n : new String[] {"a", "b", "c", "d"}) {
            engine.run(P + n, Map.of(), Map.of(), 0, "sh", "-c", DockerTestSupport.LOOP);
        }
    }

    @AfterAll
    static void cleanup() {
        engine.removeAll(P);
    }

    private RunbookEngine engine(Safety safety) {
        Runbook rb = Runbook.builder("restart-on-memory-spike").trigger(Trigger.builder().rootCauseReason("MEMORY_SPIKE").build())
                .safety(safety)
                .step(ActionStep.builder("Restart", "restart-container").param("container", "{{ incident.resource.name }}")
                        .param("timeout", "0s").build())
                .build();
        return RunbookEngine.builder().discoverActions(false).clock(clock).guardStore(new InMemoryGuardStore())
                .actionProvider(DockerTestSupport.actions(engine, new InMemoryContainerHistory())).runbook(rb).build();
    }

    private Execution spike(RunbookEngine e, String container) {
        return e.handle(Incident.builder("spike-" + ids.incrementAndGet()).rootCause("MEMORY_SPIKE", 1.0)
                .resource(ResourceRef.of("Container", "", P + container)).build());
    }

    private static String denial(Execution e) {
        assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
        return e.denial().orElseThrow().reason();
    }

    @Test
    void seedDefaultsAreTheSeedsLimits() {
        Safety s = DockerSafety.seedDefaults();
        assertThat(s.replicas()).hasValue(new Safety.ReplicaBounds(1, 5));
        assertThat(s.maxActionsPerHour()).hasValue(10);
        assertThat(s.maxActionPerResourcePerHour()).isEqualTo(Map.of("restart-container", 3));
        assertThat(s.minActionSpacing()).hasValue(Duration.ofSeconds(5));
        assertThat(s.envWhitelist()).isEmpty();
        Safety changed = DockerSafety.builder().replicas(2, 8).maxActionsPerHour(20).envWhitelist(java.util.List.of("LOG_LEVEL"))
                .build();
        assertThat(changed.replicas()).hasValue(new Safety.ReplicaBounds(2, 8));
        assertThat(changed.maxActionsPerHour()).hasValue(20);
        assertThat(changed.minActionSpacing()).hasValue(Duration.ofSeconds(5));
    }

    @Test
    void threeRestartsPerContainerAnHourFiveSecondsApart() {
        RunbookEngine e = engine(DockerSafety.seedDefaults());
        String startedBefore = engine.client().inspectContainerCmd(P + "a").exec().getState().getStartedAt();
        assertThat(spike(e, "a").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(engine.client().inspectContainerCmd(P + "a").exec().getState().getStartedAt()).isNotEqualTo(startedBefore);

        clock.advance(Duration.ofSeconds(3));
        assertThat(denial(spike(e, "b"))).startsWith("min_action_spacing 5s not yet elapsed").endsWith("wait 2s");
        clock.advance(Duration.ofSeconds(2));
        assertThat(spike(e, "a").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        clock.advance(Duration.ofSeconds(5));
        assertThat(spike(e, "a").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        clock.advance(Duration.ofSeconds(5));
        String startedThird = engine.client().inspectContainerCmd(P + "a").exec().getState().getStartedAt();
        assertThat(denial(spike(e, "a")))
                .startsWith("max_action_per_resource_per_hour restart-container 3 on Container/" + P + "a reached");
        assertThat(engine.client().inspectContainerCmd(P + "a").exec().getState().getStartedAt()).isEqualTo(startedThird);
        // another container still may be restarted, and after an hour the first one again
        assertThat(spike(e, "b").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        clock.advance(Duration.ofHours(1));
        assertThat(spike(e, "a").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void tenActionsAnHourAcrossContainers() {
        RunbookEngine e = engine(DockerSafety.builder().minActionSpacing(Duration.ZERO).build());
        String[] order = {"a", "b", "c", "d", "a", "b", "c", "d", "a", "b"};
        for (String c : order) {
            assertThat(spike(e, c).status()).as("restart of %s", c).isEqualTo(ExecutionStatus.SUCCEEDED);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(denial(spike(e, "c"))).startsWith("max_actions_per_hour 10 (all runbooks) reached");
    }
}
