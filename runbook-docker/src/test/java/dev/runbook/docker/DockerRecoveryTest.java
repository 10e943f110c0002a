package dev.runbook.docker;

import static dev.runbook.docker.DockerTestSupport.LOOP;
import static dev.runbook.docker.DockerTestSupport.action;
import static dev.runbook.docker.DockerTestSupport.ctx;
import static dev.runbook.docker.DockerTestSupport.runbook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.runbook.core.model.Safety;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A host that dies in the middle of a container recreate, and {@link DockerRecovery} repairing it on the real test
 * engine. The crash is made deterministic in-process: the actions get a client whose {@code startContainerCmd}
 * throws an {@link Error} that nothing in the action catches, so the action stops exactly where a killed JVM would
 * have (original stopped and renamed, replacement created under the name, never started).
 */
class DockerRecoveryTest {
    private static final String P = "rbt-rec-";
    private static final Safety WHITELIST = DockerSafety.builder().envWhitelist(List.of("MODE")).build();
    private static PodmanEngine engine;
    private static DockerClient client;

    /** Stands for the host JVM dying: not an exception the actions handle. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash of the host before the replacement starts");
        }
    }

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

    /** The test engine's client, except that starting any container "kills the host". */
    private static DockerClient crashingOnStart() {
        return onStart(client, () -> {
            throw new SimulatedCrash();
        });
    }

    /** {@code delegate}, except that {@code startContainerCmd} runs {@code instead} (which must throw or block). */
    static DockerClient onStart(DockerClient delegate, Runnable instead) {
        return (DockerClient) Proxy.newProxyInstance(DockerClient.class.getClassLoader(),
                new Class<?>[] {DockerClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("startContainerCmd")) {
                        instead.run();
                        throw new IllegalStateException("the start hook returned");
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * The child JVM of {@link #aHostJvmKilledBetweenStopAndStartIsRepairedByTheNextOne}: runs {@code update-env-vars}
     * on {@code args[1]} (MODE=new) against the engine at {@code args[0]} and, when the action is about to start the
     * replacement (the original is stopped and renamed), prints {@value #ABOUT_TO_START} and blocks until killed.
     */
    public static final class KilledHost {
        static final String ABOUT_TO_START = "ABOUT-TO-START-THE-REPLACEMENT";

        public static void main(String[] args) throws Exception {
            DockerClient real = DockerClients.connect(args[0]);
            DockerClient blocking = onStart(real, () -> {
                System.out.println(ABOUT_TO_START);
                System.out.flush();
                try {
                    new java.util.concurrent.CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            var actions = DockerActions.builder().client(blocking, args[0]).stopTimeout(Duration.ZERO)
                    .startupGrace(Duration.ofSeconds(1)).build();
            var update = action(actions, "update-env-vars");
            update.execute(ctx(update, Map.of("container", args[1], "env", Map.of("MODE", "new")), runbook(WHITELIST))
                    .build());
            System.out.println("the action finished, which it must not");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aHostJvmKilledBetweenStopAndStartIsRepairedByTheNextOne() throws Exception {
        String originalId = engine.run(P + "jvm", Map.of(), Map.of("MODE", "ok"), 0, "sh", "-c", LOOP);
        Process child = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx96m", "-cp", System.getProperty("java.class.path"), KilledHost.class.getName(),
                engine.host(), P + "jvm").redirectErrorStream(true).start();
        var output = new StringBuilder();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.equals(KilledHost.ABOUT_TO_START)) {
                output.append(line).append('\n');
            }
            assertThat(line).as("the child reached the start of the replacement; its output:%n%s", output)
                    .isEqualTo(KilledHost.ABOUT_TO_START);
            child.destroyForcibly();
            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        String oldName = namesWithPrefix(P + "jvm-rb-old-").stream().findFirst().orElseThrow();
        assertThat(inspect(oldName).getId()).isEqualTo(originalId);
        assertThat(inspect(oldName).getState().getRunning()).isFalse();
        assertThat(inspect(P + "jvm").getState().getRunning()).isFalse();

        // the child's in-memory history died with it: the next host has only the engine's facts
        DockerRecovery.Report report = recovery(new InMemoryContainerHistory()).run();

        assertThat(inspect(P + "jvm").getId()).isEqualTo(originalId);
        assertThat(inspect(P + "jvm").getState().getRunning()).isTrue();
        assertThat(env(P + "jvm")).containsEntry("MODE", "ok");
        assertThat(namesWithPrefix(P + "jvm")).containsExactly(P + "jvm");
        assertThat(report.repairs()).extracting(DockerRecovery.Repair::action)
                .contains("started " + P + "jvm (it was running before the interrupted recreate)");
    }

    @Test
    void aCrashBeforeTheRenameLeavesTheOriginalUnderItsNameAndTheHistoryGetsItStarted() throws Exception {
        // the replacement is created and the original stopped, but not yet renamed
        String originalId = engine.run(P + "pre", Map.of(), Map.of("MODE", "ok"), 0, "sh", "-c", LOOP);
        var history = new InMemoryContainerHistory();
        var spec = new dev.runbook.docker.internal.Engine(() -> client, engine.host()).inspect(P + "pre").spec();
        history.record("exec-pre", Instant.now(), "update-env-vars", HistoryEntry.Kind.CONTAINER, P + "pre", "",
                List.of(spec));
        String x = "5e5e5e";
        client.createContainerCmd(engine.image()).withName(P + "pre-rb-new-" + x).withEnv("MODE=new")
                .withLabels(Map.of(PodmanEngine.TEST_LABEL, "true")).withCmd("sh", "-c", LOOP).exec();
        client.stopContainerCmd(originalId).withTimeout(0).exec();

        DockerRecovery.Report report = recovery(history).run();

        assertThat(inspect(P + "pre").getId()).isEqualTo(originalId);
        assertThat(inspect(P + "pre").getState().getRunning()).isTrue();
        assertThat(namesWithPrefix(P + "pre")).containsExactly(P + "pre");
        assertThat(report.repairs()).extracting(DockerRecovery.Repair::action).containsExactly(
                "removed the unused replacement " + P + "pre-rb-new-" + x,
                "started " + P + "pre (it was running before the interrupted recreate)");
    }

    @Test
    void aJournalHistoryWrittenByOneHostTellsTheNextThatTheOriginalWasRunning() throws Exception {
        String originalId = engine.run(P + "jh", Map.of(), Map.of("MODE", "ok"), 0, "sh", "-c", LOOP);
        // stands for the durable journal both hosts share (the Neo4j journal in production)
        var journal = new dev.runbook.core.engine.InMemoryExecutionJournal();
        var spec = new dev.runbook.docker.internal.Engine(() -> client, engine.host()).inspect(P + "jh").spec();
        new JournalContainerHistory(journal).record("exec-jh", Instant.now(), "update-env-vars",
                HistoryEntry.Kind.CONTAINER, P + "jh", "", List.of(spec));
        // stopped before the replacement exists: the engine's times alone would say it was not running, so only the
        // journal's entry (matched against the stopped container's spec) can get it started
        client.stopContainerCmd(originalId).withTimeout(0).exec();
        String x = "7a7a7a";
        client.createContainerCmd(engine.image()).withName(P + "jh-rb-new-" + x).withEnv("MODE=new")
                .withLabels(Map.of(PodmanEngine.TEST_LABEL, "true")).withCmd("sh", "-c", LOOP).exec();

        DockerRecovery.Report report = recovery(new JournalContainerHistory(journal)).run();

        assertThat(inspect(P + "jh").getId()).isEqualTo(originalId);
        assertThat(inspect(P + "jh").getState().getRunning()).isTrue();
        assertThat(report.repairs()).extracting(DockerRecovery.Repair::action).containsExactly(
                "removed the unused replacement " + P + "jh-rb-new-" + x,
                "started " + P + "jh (it was running before the interrupted recreate)");
    }

    private static InspectContainerResponse inspect(String name) {
        return client.inspectContainerCmd(name).exec();
    }

    private static Map<String, String> env(String name) {
        var out = new TreeMap<String, String>();
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

    private static DockerRecovery recovery(ContainerHistory history) {
        return new DockerRecovery(client, engine.host(), history);
    }

    @Test
    void updateEnvRecordsTheOriginalSpecBeforeTouchingTheContainer() throws Exception {
        String id = engine.run(P + "wal", Map.of(), Map.of("MODE", "ok"), 0, "sh", "-c", LOOP);
        var seenAtRecord = new AtomicReference<String>();
        var inner = new InMemoryContainerHistory();
        ContainerHistory probing = new ContainerHistory() {
            @Override
            public HistoryEntry record(String executionId, Instant at, String act, HistoryEntry.Kind kind,
                                       String target, String serviceLabel, List<ContainerSpec> previous) {
                var c = inspect(P + "wal");
                seenAtRecord.set(c.getId() + " running=" + c.getState().getRunning() + " "
                        + namesWithPrefix(P + "wal"));
                return inner.record(executionId, at, act, kind, target, serviceLabel, previous);
            }

            @Override
            public List<HistoryEntry> entries(HistoryEntry.Kind kind, String target) {
                return inner.entries(kind, target);
            }

            @Override
            public void remove(List<HistoryEntry> entries) {
                inner.remove(entries);
            }
        };
        var update = action(DockerTestSupport.actions(engine, probing), "update-env-vars");
        update.execute(ctx(update, Map.of("container", P + "wal", "env", Map.of("MODE", "new")), runbook(WHITELIST))
                .build());

        // when the entry was written the original was untouched: same id, running, no replacement yet
        assertThat(seenAtRecord.get()).isEqualTo(id + " running=true [" + P + "wal]");
        assertThat(inner.all()).singleElement().satisfies(e -> {
            assertThat(e.previous().get(0).env()).containsEntry("MODE", "ok");
            assertThat(e.previous().get(0).running()).isTrue();
        });
        assertThat(env(P + "wal")).containsEntry("MODE", "new");
    }

    @Test
    void anEnvUpdateKilledBeforeTheReplacementStartsIsUndoneAndASecondRunFindsNothing() throws Exception {
        String originalId = engine.run(P + "web", Map.of("app", "rec"), Map.of("MODE", "ok"), 0, "sh", "-c", LOOP);
        var history = new InMemoryContainerHistory();
        var crashing = DockerActions.builder().client(crashingOnStart(), engine.host()).history(history)
                .stopTimeout(Duration.ZERO).startupGrace(Duration.ofSeconds(1)).build();
        var update = action(crashing, "update-env-vars");
        assertThatThrownBy(() -> update.execute(ctx(update, Map.of("container", P + "web", "env", Map.of("MODE", "new")),
                runbook(WHITELIST)).build())).isInstanceOf(SimulatedCrash.class);

        // the worst moment: the original is stopped under a temporary name, the name is held by a replacement
        // that never started
        List<String> left = namesWithPrefix(P + "web");
        assertThat(left).hasSize(2).contains(P + "web").anyMatch(n -> n.startsWith(P + "web-rb-old-"));
        String oldName = left.stream().filter(n -> n.startsWith(P + "web-rb-old-")).findFirst().orElseThrow();
        assertThat(inspect(oldName).getId()).isEqualTo(originalId);
        assertThat(inspect(oldName).getState().getRunning()).isFalse();
        assertThat(inspect(P + "web").getId()).isNotEqualTo(originalId);
        assertThat(inspect(P + "web").getState().getRunning()).isFalse();
        assertThat(history.entries(HistoryEntry.Kind.CONTAINER, P + "web")).hasSize(1);

        DockerRecovery.Report report = recovery(history).run();

        var web = inspect(P + "web");
        assertThat(web.getId()).isEqualTo(originalId);
        assertThat(web.getState().getRunning()).isTrue();
        assertThat(env(P + "web")).containsEntry("MODE", "ok");
        assertThat(namesWithPrefix(P + "web")).containsExactly(P + "web");
        assertThat(report.repairs()).extracting(DockerRecovery.Repair::container).containsOnly(P + "web");
        assertThat(report.repairs()).extracting(DockerRecovery.Repair::action).anyMatch(a -> a.startsWith(
                "removed the replacement " + P + "web ")).contains("renamed " + oldName + " back to " + P + "web",
                "started " + P + "web (it was running before the interrupted recreate)");

        assertThat(recovery(history).run().nothingToDo()).isTrue();
        assertThat(inspect(P + "web").getId()).isEqualTo(originalId);
    }

    @Test
    void withoutAHistoryAnOriginalStoppedAfterItsReplacementWasCreatedIsStartedAgain() throws Exception {
        // by hand, as a killed host leaves it: replacement created, original stopped and renamed, nothing started
        String originalId = engine.run(P + "bare", Map.of(), Map.of("MODE", "ok"), 0, "sh", "-c", LOOP);
        String x = "a1b2c3";
        client.createContainerCmd(engine.image()).withName(P + "bare-rb-new-" + x).withEnv("MODE=new")
                .withLabels(Map.of(PodmanEngine.TEST_LABEL, "true")).withCmd("sh", "-c", LOOP).exec();
        client.stopContainerCmd(originalId).withTimeout(0).exec();
        client.renameContainerCmd(originalId).withName(P + "bare-rb-old-" + x).exec();

        DockerRecovery.Report report = recovery(new InMemoryContainerHistory()).run();

        assertThat(inspect(P + "bare").getId()).isEqualTo(originalId);
        assertThat(inspect(P + "bare").getState().getRunning()).isTrue();
        assertThat(env(P + "bare")).containsEntry("MODE", "ok");
        assertThat(namesWithPrefix(P + "bare")).containsExactly(P + "bare");
        assertThat(report.repairs()).extracting(DockerRecovery.Repair::action).containsExactly(
                "renamed " + P + "bare-rb-old-" + x + " back to " + P + "bare",
                "removed the unused replacement " + P + "bare-rb-new-" + x,
                "started " + P + "bare (it was running before the interrupted recreate)");
    }

    /** As a host killed mid-recreate leaves it: replacement created, original stopped and renamed; returns its id. */
    private static String halfDone(String name, String x) {
        String originalId = engine.run(name, Map.of(), Map.of("MODE", "ok"), 0, "sh", "-c", LOOP);
        client.createContainerCmd(engine.image()).withName(name + "-rb-new-" + x).withEnv("MODE=new")
                .withLabels(Map.of(PodmanEngine.TEST_LABEL, "true")).withCmd("sh", "-c", LOOP).exec();
        client.stopContainerCmd(originalId).withTimeout(0).exec();
        client.renameContainerCmd(originalId).withName(name + "-rb-old-" + x).exec();
        return originalId;
    }

    @Test
    void oneContainerWhoseRepairFailsDoesNotStopTheOthersAndALaterRunRepairsIt() throws Exception {
        String failing = halfDone(P + "f1", "f1f1");
        String other = halfDone(P + "f2", "f2f2");
        DockerClient refusingOne = (DockerClient) Proxy.newProxyInstance(DockerClient.class.getClassLoader(),
                new Class<?>[] {DockerClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("renameContainerCmd") && failing.equals(args[0])) {
                        throw new com.github.dockerjava.api.exception.ConflictException("simulated conflict");
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        DockerRecovery.Report report = new DockerRecovery(refusingOne, engine.host(), new InMemoryContainerHistory())
                .run();

        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.container()).isEqualTo(P + "f1");
            assertThat(f.action()).contains("rename container '" + failing + "' to '" + P + "f1'", "simulated conflict");
        });
        assertThat(inspect(P + "f2").getId()).isEqualTo(other);
        assertThat(inspect(P + "f2").getState().getRunning()).isTrue();
        assertThat(namesWithPrefix(P + "f2")).containsExactly(P + "f2");
        // untouched: the replacement is kept until the original has its name back, so the next run can still
        // tell from it (without any history) that the original was running
        assertThat(namesWithPrefix(P + "f1")).containsExactly(P + "f1-rb-new-f1f1", P + "f1-rb-old-f1f1");

        DockerRecovery.Report again = recovery(new InMemoryContainerHistory()).run();
        assertThat(again.failures()).isEmpty();
        assertThat(again.repairs()).extracting(DockerRecovery.Repair::action).containsExactly(
                "renamed " + P + "f1-rb-old-f1f1 back to " + P + "f1",
                "removed the unused replacement " + P + "f1-rb-new-f1f1",
                "started " + P + "f1 (it was running before the interrupted recreate)");
        assertThat(namesWithPrefix(P + "f1")).containsExactly(P + "f1");
        assertThat(inspect(P + "f1").getId()).isEqualTo(failing);
        assertThat(inspect(P + "f1").getState().getRunning()).isTrue();
    }

    @Test
    void anOriginalThatWasAlreadyStoppedIsRenamedBackButNotStarted() throws Exception {
        String originalId = client.createContainerCmd(engine.image()).withName(P + "idle").withEnv("MODE=ok")
                .withLabels(Map.of(PodmanEngine.TEST_LABEL, "true")).withCmd("sh", "-c", LOOP).exec().getId();
        String x = "0d0e0f";
        client.renameContainerCmd(originalId).withName(P + "idle-rb-old-" + x).exec();
        client.createContainerCmd(engine.image()).withName(P + "idle").withEnv("MODE=new")
                .withLabels(Map.of(PodmanEngine.TEST_LABEL, "true")).withCmd("sh", "-c", LOOP).exec();

        DockerRecovery.Report report = recovery(new InMemoryContainerHistory()).run();

        assertThat(inspect(P + "idle").getId()).isEqualTo(originalId);
        assertThat(inspect(P + "idle").getState().getRunning()).isFalse();
        assertThat(namesWithPrefix(P + "idle")).containsExactly(P + "idle");
        assertThat(report.repairs()).extracting(DockerRecovery.Repair::action).last()
                .isEqualTo("left " + P + "idle stopped: no record says it was running before the recreate");
    }

    @Test
    void aCompletedRecreateOnlyLosesItsLeftoverOldContainer() throws Exception {
        String originalId = engine.run(P + "done", Map.of(), Map.of("MODE", "ok"), 0, "sh", "-c", LOOP);
        String x = "c0ffee";
        client.stopContainerCmd(originalId).withTimeout(0).exec();
        client.renameContainerCmd(originalId).withName(P + "done-rb-old-" + x).exec();
        String newId = engine.run(P + "done", Map.of(), Map.of("MODE", "new"), 0, "sh", "-c", LOOP);
        String unrelated = engine.run(P + "done-other", Map.of(), Map.of(), 0, "sh", "-c", LOOP);

        DockerRecovery.Report report = recovery(new InMemoryContainerHistory()).run();

        assertThat(inspect(P + "done").getId()).isEqualTo(newId);
        assertThat(inspect(P + "done").getState().getRunning()).isTrue();
        assertThat(env(P + "done")).containsEntry("MODE", "new");
        assertThat(namesWithPrefix(P + "done")).containsExactly(P + "done", P + "done-other");
        assertThat(inspect(P + "done-other").getId()).isEqualTo(unrelated);
        assertThat(report.repairs()).containsExactly(new DockerRecovery.Repair(P + "done", "removed "
                + P + "done-rb-old-" + x + ": the recreate of " + P + "done had completed"));
        assertThat(new ArrayList<>(recovery(new InMemoryContainerHistory()).run().repairs())).isEmpty();
    }
}
