package dev.runbook.docker;

import static dev.runbook.docker.Misbehaving.has;
import static dev.runbook.docker.Misbehaving.sampleUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's three runbooks (memory spike, CPU overload, high error rate), built with the core's model builders,
 * from a real misbehaving container through {@link ContainerMonitor}'s incident and the core {@link RunbookEngine}
 * to the remediation on the real engine. The seed names the runbooks and the actions but not their steps; these
 * steps use its actions: restart on a memory spike, scale out on CPU overload, turn a failing feature off
 * (whitelisted env) on a high error rate, each verified by reading the container again.
 */
class SeedRunbooksEndToEndTest {
    private static final String P = "rbt-e2e-";
    private static final String ERROR_PATTERN = ContainerMonitor.DEFAULT_ERROR_PATTERN;
    private static PodmanEngine engine;
    private final InMemoryContainerHistory history = new InMemoryContainerHistory();

    @BeforeAll
    static void engine() {
        engine = PodmanEngine.get();
        engine.removeAll(P);
    }

    @AfterEach
    void cleanupEach() {
        engine.removeAll(P);
    }

    @AfterAll
    static void cleanup() {
        engine.removeAll(P);
    }

    static Runbook memorySpike() {
        return Runbook.builder("memory-spike").name("Memory spike").version("1.0")
                .trigger(Trigger.builder().rootCauseReason("MEMORY_SPIKE").resourceKind("Container").minConfidence(0.9).build())
                .safety(DockerSafety.seedDefaults())
                .step(ActionStep.builder("Read memory", "container-metrics").param("container", "{{ incident.resource.name }}")
                        .param("interval", "200ms").outputVar("before").build())
                .step(ActionStep.builder("Restart container", "restart-container")
                        .param("container", "{{ incident.resource.name }}").param("timeout", "0s").build())
                .step(ActionStep.builder("Verify memory back under 80%", "container-metrics")
                        .param("container", "{{ incident.resource.name }}").param("interval", "200ms")
                        .expect("memory_percent < 80").build())
                .build();
    }

    static Runbook cpuOverload() {
        return Runbook.builder("cpu-overload").name("CPU overload").version("1.0")
                .trigger(Trigger.builder().rootCauseReason("CPU_OVERLOAD").resourceKind("Container").minConfidence(0.9).build())
                // a dry run first: the plan must name the replica it would add, and touch at most 2 containers
                .safety(DockerSafety.builder().dryRunFirst(true).blastRadiusLimit(2).build())
                .step(ActionStep.builder("Read CPU", "container-metrics").param("container", "{{ incident.resource.name }}")
                        .param("interval", "200ms").outputVar("cpu").build())
                .step(ActionStep.builder("Scale out", "scale-service").param("service", "{{ incident.resource.controller }}")
                        .param("by", 1).outputVar("scaled").expect("after == before + 1").build())
                .rollbackStep(ActionStep.builder("Undo scaling", "rollback-deployment")
                        .param("service", "{{ incident.resource.controller }}").build())
                .build();
    }

    static Runbook highErrorRate() {
        return Runbook.builder("high-error-rate").name("High error rate").version("1.0")
                .trigger(Trigger.builder().rootCauseReason("HIGH_ERROR_RATE").resourceKind("Container").minConfidence(0.9).build())
                .safety(DockerSafety.builder().envWhitelist(List.of("FEATURE_V2")).build())
                .step(ActionStep.builder("Count errors", "container-logs").param("container", "{{ incident.resource.name }}")
                        .param("tail", 100).param("pattern", ERROR_PATTERN).outputVar("errors").build())
                .step(ActionStep.builder("Turn the failing feature off", "update-env-vars")
                        .param("container", "{{ incident.resource.name }}").param("env", Map.of("FEATURE_V2", "off"))
                        .build())
                .step(ActionStep.builder("Verify error rate under 5%", "container-logs")
                        .param("container", "{{ incident.resource.name }}").param("tail", 100).param("pattern", ERROR_PATTERN)
                        .expect("match_percent <= 5").build())
                .rollbackStep(ActionStep.builder("Restore the container", "rollback-deployment")
                        .param("container", "{{ incident.resource.name }}").build())
                .build();
    }

    private RunbookEngine runbookEngine(Runbook rb) {
        return RunbookEngine.builder().discoverActions(false).guardStore(new InMemoryGuardStore())
                .actionProvider(DockerTestSupport.actions(engine, history)).runbook(rb).build();
    }

    private static ContainerMonitor monitor(String suite) {
        return ContainerMonitor.builder().client(engine.client(), engine.host()).cpuPercent(Misbehaving.CPU_THRESHOLD)
                .labelFilter(Map.of("dev.runbook.suite", suite)).build();
    }

    private static Incident detect(String suite, String anomaly, String container) {
        return sampleUntil(monitor(suite), Duration.ofSeconds(30), all -> has(all, anomaly, container)).stream()
                .filter(i -> i.rootCauseReason().equals(anomaly) && i.resource().name().equals(container))
                .findFirst().orElseThrow();
    }

    private static Map<String, String> env(String name) {
        var out = new HashMap<String, String>();
        for (String kv : engine.client().inspectContainerCmd(name).exec().getConfig().getEnv()) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    @Test
    void memorySpikeIsRemediatedByARestart() {
        engine.run(P + "cache", Misbehaving.labels("e2e-mem"), Map.of(), Misbehaving.MEMORY_HOG_LIMIT, "sh", "-c",
                Misbehaving.MEMORY_HOG);
        Incident incident = detect("e2e-mem", "MEMORY_SPIKE", P + "cache");

        Execution e = runbookEngine(memorySpike()).handle(incident);

        assertThat(e.status()).as("%s", e).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.runbookId()).isEqualTo("memory-spike");
        assertThat(e.actionsTaken()).containsExactly("restarted " + P + "cache");
        assertThat((Map<?, ?>) e.steps().get(0).output().orElseThrow()).extracting(m -> (Double) m.get("memory_percent"))
                .satisfies(p -> assertThat(p).isGreaterThan(80.0));
        assertThat((Map<?, ?>) e.steps().get(2).output().orElseThrow()).extracting(m -> (Double) m.get("memory_percent"))
                .satisfies(p -> assertThat(p).isLessThan(80.0));
        assertThat(e.touched()).extracting(t -> t.key()).containsExactly("Container/" + P + "cache");
    }

    @Test
    void cpuOverloadIsRemediatedByScalingOutAfterADryRun() {
        var labels = new HashMap<>(Misbehaving.labels("e2e-cpu"));
        labels.put(DockerActions.COMPOSE_SERVICE_LABEL, "e2eapi");
        labels.put(DockerActions.COMPOSE_PROJECT_LABEL, "e2e");
        engine.run(P + "api-1", labels, Map.of(), 0, "sh", "-c", Misbehaving.BUSY);
        Incident incident = detect("e2e-cpu", "CPU_OVERLOAD", P + "api-1");
        assertThat(incident.resource().controller()).hasValue("e2eapi");

        Execution e = runbookEngine(cpuOverload()).handle(incident);
        // stop the busy loops at once: the machine is shared
        engine.removeAll(P + "api-");

        assertThat(e.status()).as("%s", e).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.dryRunSteps()).extracting(StepResult::summary).contains("would scale service e2eapi 1 -> 2");
        assertThat(e.guardDecisions()).anySatisfy(d -> assertThat(d.reason())
                .isEqualTo("plan touches 1 resource(s) <= blast_radius_limit 2"));
        assertThat(e.actionsTaken()).containsExactly("scaled service e2eapi 1 -> 2");
        assertThat(e.touched()).extracting(t -> t.key()).containsExactly("Container/e2e/" + P + "api-2");
        assertThat(history.entries(HistoryEntry.Kind.SERVICE, "e2eapi")).singleElement()
                .satisfies(h -> assertThat(h.previous()).extracting(ContainerSpec::name).containsExactly(P + "api-1"));
    }

    @Test
    void highErrorRateIsRemediatedByTurningTheFeatureOff() {
        engine.run(P + "pay", Misbehaving.labels("e2e-err"), Map.of("FEATURE_V2", "on"), 0, "sh", "-c",
                "if [ \"$FEATURE_V2\" = on ]; then " + Misbehaving.ERRORS + "; fi; echo serving; " + DockerTestSupport.LOOP);
        Incident incident = detect("e2e-err", "HIGH_ERROR_RATE", P + "pay");

        Execution e = runbookEngine(highErrorRate()).handle(incident);

        assertThat(e.status()).as("%s", e).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.actionsTaken()).containsExactly("recreated " + P + "pay with FEATURE_V2 on -> off");
        assertThat((Double) ((Map<?, ?>) e.steps().get(0).output().orElseThrow()).get("match_percent")).isGreaterThan(5.0);
        assertThat(env(P + "pay")).containsEntry("FEATURE_V2", "off");
        assertThat(engine.client().inspectContainerCmd(P + "pay").exec().getState().getRunning()).isTrue();
    }

    @Test
    void aFailedVerificationRollsTheEnvBackThroughRollbackDeployment() {
        // errors whatever the feature flag says: turning it off does not help, so the runbook must undo its change
        engine.run(P + "pay", Misbehaving.labels("e2e-err2"), Map.of("FEATURE_V2", "on"), 0, "sh", "-c",
                Misbehaving.ERRORS);
        Incident incident = detect("e2e-err2", "HIGH_ERROR_RATE", P + "pay");

        Execution e = runbookEngine(highErrorRate()).handle(incident);

        assertThat(e.status()).as("%s", e).isEqualTo(ExecutionStatus.ROLLED_BACK);
        assertThat(e.error().orElseThrow()).startsWith("step 'Verify error rate under 5%' failed: expect 'match_percent <= 5' was false");
        assertThat(e.actionsTaken()).containsExactly("recreated " + P + "pay with FEATURE_V2 on -> off",
                "rollback: rolled back " + P + "pay to its spec before update-env-vars");
        assertThat(env(P + "pay")).containsEntry("FEATURE_V2", "on");
        assertThat(engine.client().inspectContainerCmd(P + "pay").exec().getState().getRunning()).isTrue();
        assertThat(history.all()).isEmpty();
    }

    @Test
    void theSeedRunbooksCompileAgainstTheDockerActions() {
        var problems = new dev.runbook.core.compile.RunbookCompiler(
                dev.runbook.core.action.ActionRegistry.builder().provider(new DockerActions()).build(),
                dev.runbook.core.expression.ExpressionCompiler.standard())
                .validate(List.of(memorySpike(), cpuOverload(), highErrorRate()));
        assertThat(problems).isEmpty();
        assertThat(Safety.none().envWhitelist()).isEmpty();
    }
}
