package dev.runbook.docker;

import static dev.runbook.docker.DockerTestSupport.LOOP;
import static dev.runbook.docker.DockerTestSupport.action;
import static dev.runbook.docker.DockerTestSupport.ctx;
import static dev.runbook.docker.DockerTestSupport.runbook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.model.Safety;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each Docker action on real busybox containers of the test engine (Podman unless DOCKER_HOST is set). */
class DockerActionsTest {
    private static final String P = "rbt-act-";
    private static PodmanEngine engine;
    private static DockerClient client;
    private final InMemoryContainerHistory history = new InMemoryContainerHistory();
    private final DockerActions actions = DockerTestSupport.actions(engine, history);
    private static final Safety WHITELIST = DockerSafety.builder().envWhitelist(List.of("LOG_LEVEL", "MODE")).build();

    @BeforeAll
    static void engine() {
        engine = PodmanEngine.get();
        client = engine.client();
        engine.removeAll(P);
    }

    @AfterAll
    static void cleanup() {
        engine.removeAll(P);
    }

    private static InspectContainerResponse inspect(String name) {
        return client.inspectContainerCmd(name).exec();
    }

    private static Map<String, String> env(String name) {
        var out = new java.util.TreeMap<String, String>();
        for (String kv : inspect(name).getConfig().getEnv()) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    private static List<String> namesWithPrefix(String prefix) {
        return client.listContainersCmd().withShowAll(true).exec().stream()
                .map(c -> c.getNames()[0].replaceFirst("^/", "")).filter(n -> n.startsWith(prefix)).sorted().toList();
    }

    @Test
    void restartsByNameIdAndLabelSelectorAndADryRunRestartsNothing() throws Exception {
        engine.run(P + "r1", Map.of("app", "rtest"), Map.of(), 0, "sh", "-c", LOOP);
        String id2 = engine.run(P + "r2", Map.of("app", "rtest"), Map.of(), 0, "sh", "-c", LOOP);
        String started1 = inspect(P + "r1").getState().getStartedAt();
        String started2 = inspect(P + "r2").getState().getStartedAt();
        var restart = action(actions, "restart-container");

        ActionResult dry = restart.execute(ctx(restart, Map.of("container", P + "r1"), runbook(Safety.none()))
                .dryRun(true).build());
        assertThat(dry.summary()).isEqualTo("would restart " + P + "r1");
        assertThat(dry.touched()).containsExactly(new TouchedResource("Container", "", P + "r1", "would restart"));
        assertThat(inspect(P + "r1").getState().getStartedAt()).isEqualTo(started1);

        ActionResult byName = restart.execute(ctx(restart, Map.of("container", P + "r1", "timeout", "0s"),
                runbook(Safety.none())).build());
        assertThat(byName.summary()).isEqualTo("restarted " + P + "r1");
        String restarted1 = inspect(P + "r1").getState().getStartedAt();
        assertThat(restarted1).isNotEqualTo(started1);
        assertThat(inspect(P + "r1").getState().getRunning()).isTrue();

        restart.execute(ctx(restart, Map.of("container", id2, "timeout", "0s"), runbook(Safety.none())).build());
        String restarted2 = inspect(P + "r2").getState().getStartedAt();
        assertThat(restarted2).isNotEqualTo(started2);

        ActionResult bySelector = restart.execute(ctx(restart, Map.of("selector", "app=rtest", "timeout", "0s"),
                runbook(Safety.none())).build());
        assertThat(bySelector.touched()).extracting(TouchedResource::name).containsExactlyInAnyOrder(P + "r1", P + "r2");
        assertThat(inspect(P + "r1").getState().getStartedAt()).isNotEqualTo(restarted1);
        assertThat(inspect(P + "r2").getState().getStartedAt()).isNotEqualTo(restarted2);
        assertThat(history.all()).extracting(HistoryEntry::action).containsOnly("restart-container").hasSize(4);

        assertThatThrownBy(() -> restart.execute(ctx(restart, Map.of("container", P + "missing"),
                runbook(Safety.none())).build())).isInstanceOf(ActionException.class)
                .hasMessage("restart-container: container '" + P + "missing' not found on " + engine.host());
        assertThatThrownBy(() -> restart.execute(ctx(restart, Map.of(), runbook(Safety.none())).build()))
                .hasMessageContaining("needs exactly one of 'container' (a name or id) or 'selector'");
        assertThatThrownBy(() -> restart.execute(ctx(restart, Map.of("selector", "app"), runbook(Safety.none())).build()))
                .hasMessageContaining("selector 'app': 'app' is not key=value");
    }

    @Test
    void scalesAServiceByCloningTheNewestReplicaAndRemovesTheNewestWithinBounds() throws Exception {
        var labels = Map.of(DockerActions.COMPOSE_SERVICE_LABEL, "websvc", DockerActions.COMPOSE_PROJECT_LABEL, "shop");
        engine.run(P + "web-1", labels, Map.of("LOG_LEVEL", "info"), 32L << 20, "sh", "-c", LOOP);
        var scale = action(actions, "scale-service");

        ActionResult dry = scale.execute(ctx(scale, Map.of("service", "websvc", "replicas", 3), runbook(Safety.none()))
                .dryRun(true).build());
        assertThat(dry.output().orElseThrow()).isEqualTo(Map.of("service", "websvc", "before", 1L, "after", 3L,
                "added", List.of(P + "web-2", P + "web-3"), "removed", List.of()));
        assertThat(dry.touched()).extracting(TouchedResource::key).containsExactly("Container/shop/" + P + "web-2",
                "Container/shop/" + P + "web-3");
        assertThat(namesWithPrefix(P + "web")).containsExactly(P + "web-1");

        ActionResult up = scale.execute(ctx(scale, Map.of("service", "websvc", "replicas", 3), runbook(Safety.none())).build());
        assertThat(up.summary()).isEqualTo("scaled service websvc 1 -> 3");
        assertThat(namesWithPrefix(P + "web")).containsExactly(P + "web-1", P + "web-2", P + "web-3");
        var clone = inspect(P + "web-3");
        assertThat(clone.getState().getRunning()).isTrue();
        assertThat(clone.getConfig().getLabels()).containsAllEntriesOf(labels);
        assertThat(Arrays.asList(clone.getConfig().getCmd())).containsExactly("sh", "-c", LOOP);
        assertThat(env(P + "web-3")).containsEntry("LOG_LEVEL", "info");
        assertThat(clone.getHostConfig().getMemory()).isEqualTo(32L << 20);
        assertThat(clone.getHostConfig().getNetworkMode()).isEqualTo("none");

        ActionResult down = scale.execute(ctx(scale, Map.of("service", "websvc", "by", -1), runbook(Safety.none())).build());
        assertThat(down.output().orElseThrow()).extracting("removed").isEqualTo(List.of(P + "web-3"));
        assertThat(namesWithPrefix(P + "web")).containsExactly(P + "web-1", P + "web-2");

        // seed bounds by default, the runbook's when it sets them
        assertThatThrownBy(() -> scale.execute(ctx(scale, Map.of("service", "websvc", "replicas", 6),
                runbook(Safety.none())).build())).isInstanceOf(ActionException.class)
                .hasMessageContaining("6 replicas of service 'websvc' is outside the replica bounds 1..5");
        assertThatThrownBy(() -> scale.execute(ctx(scale, Map.of("service", "websvc", "by", -2),
                runbook(Safety.none())).build())).hasMessageContaining("0 replicas of service 'websvc' is outside");
        assertThatThrownBy(() -> scale.execute(ctx(scale, Map.of("service", "websvc", "replicas", 3),
                runbook(Safety.builder().replicas(1, 2).build())).build()))
                .hasMessageContaining("outside the replica bounds 1..2 (safety.replicas of runbook docker-test");
        assertThat(namesWithPrefix(P + "web")).hasSize(2);

        // rollback of the service undoes the last scaling: back to web-1..web-3
        var rollback = action(actions, "rollback-deployment");
        ActionResult back = rollback.execute(ctx(rollback, Map.of("service", "websvc"), runbook(Safety.none())).build());
        assertThat(back.summary()).isEqualTo("rolled back websvc to its spec before scale-service");
        assertThat(namesWithPrefix(P + "web")).containsExactly(P + "web-1", P + "web-2", P + "web-3");
        assertThat(inspect(P + "web-3").getState().getRunning()).isTrue();
    }

    @Test
    void updatesWhitelistedEnvByRecreatingWithTheSameConfigAndRollsItBack() throws Exception {
        var labels = Map.of("app", "envtest");
        String oldId = engine.run(P + "env", labels, Map.of("LOG_LEVEL", "info", "MODE", "ok"), 48L << 20, "sh", "-c", LOOP);
        var update = action(actions, "update-env-vars");

        assertThatThrownBy(() -> update.execute(ctx(update, Map.of("container", P + "env",
                "env", Map.of("LOG_LEVEL", "debug", "SECRET", "x")), runbook(WHITELIST)).build()))
                .isInstanceOf(ActionException.class)
                .hasMessage("update-env-vars: [SECRET] not in the env whitelist [LOG_LEVEL, MODE] of runbook docker-test");
        assertThatThrownBy(() -> update.execute(ctx(update, Map.of("container", P + "env",
                "env", Map.of("LOG_LEVEL", "debug")), runbook(Safety.none())).build()))
                .hasMessageContaining("not in the env whitelist (empty: set safety.env_whitelist");

        ActionResult dry = update.execute(ctx(update, Map.of("container", P + "env", "env", Map.of("LOG_LEVEL", "debug")),
                runbook(WHITELIST)).dryRun(true).build());
        assertThat(dry.summary()).isEqualTo("would recreate " + P + "env with LOG_LEVEL info -> debug");
        assertThat(dry.output().orElseThrow()).extracting("changes")
                .isEqualTo(Map.of("LOG_LEVEL", Map.of("from", "info", "to", "debug")));
        assertThat(inspect(P + "env").getId()).isEqualTo(oldId);

        ActionResult done = update.execute(ctx(update, Map.of("container", P + "env", "env", Map.of("LOG_LEVEL", "debug")),
                runbook(WHITELIST)).build());
        assertThat(done.summary()).isEqualTo("recreated " + P + "env with LOG_LEVEL info -> debug");
        var now = inspect(P + "env");
        assertThat(now.getId()).isNotEqualTo(oldId);
        assertThat(now.getState().getRunning()).isTrue();
        assertThat(env(P + "env")).containsEntry("LOG_LEVEL", "debug").containsEntry("MODE", "ok");
        assertThat(now.getConfig().getLabels()).containsAllEntriesOf(labels);
        assertThat(Arrays.asList(now.getConfig().getCmd())).containsExactly("sh", "-c", LOOP);
        assertThat(now.getHostConfig().getMemory()).isEqualTo(48L << 20);
        assertThat(now.getHostConfig().getNetworkMode()).isEqualTo("none");
        assertThat(now.getConfig().getImage()).isEqualTo(engine.image());
        assertThat(namesWithPrefix(P + "env")).containsExactly(P + "env");
        assertThat(history.entries(HistoryEntry.Kind.CONTAINER, P + "env")).singleElement()
                .satisfies(e -> assertThat(e.previous().get(0).env()).containsEntry("LOG_LEVEL", "info"));

        var rollback = action(actions, "rollback-deployment");
        ActionResult dryBack = rollback.execute(ctx(rollback, Map.of("container", P + "env"), runbook(Safety.none()))
                .dryRun(true).build());
        assertThat(dryBack.touched()).singleElement().extracting(TouchedResource::change)
                .isEqualTo("would recreate from recorded spec: LOG_LEVEL debug -> info");
        assertThat(env(P + "env")).containsEntry("LOG_LEVEL", "debug");
        rollback.execute(ctx(rollback, Map.of("container", P + "env"), runbook(Safety.none())).build());
        assertThat(env(P + "env")).containsEntry("LOG_LEVEL", "info");
        assertThat(inspect(P + "env").getState().getRunning()).isTrue();
        assertThat(history.entries(HistoryEntry.Kind.CONTAINER, P + "env")).isEmpty();
        ActionResult nothing = rollback.execute(ctx(rollback, Map.of("container", P + "env"), runbook(Safety.none())).build());
        assertThat(nothing.summary()).isEqualTo("nothing recorded to roll back for container " + P + "env");
    }

    @Test
    void aFailedEnvUpdateRestoresTheOriginalContainer() throws Exception {
        // MODE=crash makes the process exit at once: the replacement starts, then dies within the startup grace
        String oldId = engine.run(P + "crash", Map.of(), Map.of("MODE", "ok"), 0, "sh", "-c",
                "if [ \"$MODE\" = crash ]; then echo boom; exit 3; fi; " + LOOP);
        var update = action(actions, "update-env-vars");

        assertThatThrownBy(() -> update.execute(ctx(update, Map.of("container", P + "crash", "env", Map.of("MODE", "crash")),
                runbook(WHITELIST)).build()))
                .isInstanceOf(ActionException.class)
                // Podman reports the dead container as exited or (briefly) stopped
                .hasMessageMatching(java.util.regex.Pattern.quote("replacing container '" + P + "crash' on " + engine.host()
                        + " failed: the new container '" + P + "crash' stopped right after starting (status ")
                        + "(exited|stopped)" + java.util.regex.Pattern.quote(", exit code 3, last output: boom); ") + ".*")
                .hasMessageEndingWith("the original container was restored and is running again");
        var now = inspect(P + "crash");
        assertThat(now.getId()).isEqualTo(oldId);
        assertThat(now.getState().getRunning()).isTrue();
        assertThat(env(P + "crash")).containsEntry("MODE", "ok");
        assertThat(namesWithPrefix(P + "crash")).containsExactly(P + "crash");
        assertThat(history.all()).isEmpty();
    }

    @Test
    void readsMetricsAndLogsForLaterSteps() throws Exception {
        engine.run(P + "read", Map.of(), Map.of(), 32L << 20, "sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9; do echo line $i; done; echo ERROR: broken; " + LOOP);
        var metrics = action(actions, "container-metrics");
        @SuppressWarnings("unchecked")
        var m = (Map<String, Object>) metrics.execute(ctx(metrics, Map.of("container", P + "read", "interval", "200ms"),
                runbook(Safety.none())).build()).output().orElseThrow();
        assertThat(m).containsEntry("container", P + "read").containsEntry("memory_limit", 32L << 20)
                .containsEntry("memory_limited", true).containsKeys("memory_usage", "memory_percent", "cpu_percent");
        assertThat((Long) m.get("memory_usage")).isPositive().isLessThan(32L << 20);
        assertThat((Double) m.get("cpu_percent")).isBetween(0.0, 200.0);

        var logs = action(actions, "container-logs");
        @SuppressWarnings("unchecked")
        var l = (Map<String, Object>) logs.execute(ctx(logs, Map.of("container", P + "read", "tail", 5,
                "pattern", "(?i)error"), runbook(Safety.none())).build()).output().orElseThrow();
        assertThat(l.get("lines")).isEqualTo(List.of("line 6", "line 7", "line 8", "line 9", "ERROR: broken"));
        assertThat(l).containsEntry("count", 5L).containsEntry("matches", 1L).containsEntry("match_percent", 20.0);
        @SuppressWarnings("unchecked")
        var recent = (Map<String, Object>) logs.execute(ctx(logs, Map.of("container", P + "read", "since", "1h"),
                runbook(Safety.none())).build()).output().orElseThrow();
        assertThat(recent).containsEntry("count", 10L);
        assertThatThrownBy(() -> logs.execute(ctx(logs, Map.of("container", P + "read", "pattern", "(unclosed"),
                runbook(Safety.none())).build())).hasMessageStartingWith("container-logs: pattern '(unclosed' is not a valid");
    }

    @Test
    void aCatastrophicLogPatternFailsAtTheMatchingLimitInsteadOfHoldingACore() throws Exception {
        String digits = "1234567890".repeat(4);
        engine.run(P + "redos", Map.of(), Map.of(), 0, "sh", "-c", "echo " + digits + "; echo " + digits + "; " + LOOP);
        var logs = action(actions, "container-logs");
        // the lines are written as the container starts: read (without a pattern) until the engine has both
        for (int i = 0; i < 200; i++) {
            var out = logs.execute(ctx(logs, Map.of("container", P + "redos"), runbook(Safety.none())).build()).output();
            if (Long.valueOf(2).equals(((Map<?, ?>) out.orElseThrow()).get("count"))) {
                break;
            }
        }
        long start = System.nanoTime();
        // preemptive: before issue 13 the match ran for minutes on one core and this failed at 20 s
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> assertThatThrownBy(() ->
                logs.execute(ctx(logs, Map.of("container", P + "redos", "pattern", "(.*\\d){12}x"),
                        runbook(Safety.none())).build()))
                .isInstanceOf(ActionException.class)
                .hasMessageStartingWith("container-logs: pattern '(.*\\d){12}x' took longer than the 2000 ms limit")
                .hasMessageEndingWith("(over 2 lines of container " + P + "redos)"));
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(6));
        assertThatThrownBy(() -> logs.execute(ctx(logs, Map.of("container", P + "redos", "pattern", "a".repeat(600)),
                runbook(Safety.none())).build())).hasMessage("container-logs: pattern is 600 characters, over the limit of "
                + "512; use a shorter pattern");
    }

    @Test
    void anUnreachableEngineIsNamedInTheError() {
        var dead = DockerActions.builder().host("unix:///tmp/rbt-no-engine/docker.sock").build();
        var restart = action(dead, "restart-container");
        assertThatThrownBy(() -> restart.execute(ctx(restart, Map.of("container", "web"), runbook(Safety.none())).build()))
                .isInstanceOf(ActionException.class)
                .hasMessageStartingWith("restart-container: inspect container 'web': cannot reach the Docker engine at "
                        + "unix:///tmp/rbt-no-engine/docker.sock (")
                .satisfies(e -> assertThat(((ActionException) e).retryable()).isTrue());
    }
}
