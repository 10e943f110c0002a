package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neo4j.driver.Driver;
import org.neo4j.harness.Neo4j;

/**
 * Issue 14's "done when": a host really dies mid-change. A child JVM ({@link CrashHost}) runs the runbook with the
 * Neo4j journal and guard store on this JVM's harness; the resource is a loopback HTTP server here. The child reads
 * the memory limit, POSTs the new one, and is killed while that POST is in flight. An engine in this JVM then
 * recovers: the rollback POSTs the value read before the change, the record says so, the locks are free and the
 * dead execution still counts against the rate limit.
 */
@Neo4jTest
class CrashRecoveryTest {
    private final String p = "crash-" + UUID.randomUUID() + "-";
    private final AtomicReference<String> memory = new AtomicReference<>("256Mi");
    private final List<String> posts = new CopyOnWriteArrayList<>();
    private final CountDownLatch applied = new CountDownLatch(1);
    private final CountDownLatch killed = new CountDownLatch(1);

    @Test
    @Timeout(120)
    void aHostKilledMidChangeIsRolledBackByAnotherWithTheJournaledValue(Neo4j neo4j, Driver driver) throws Exception {
        ExecutorService handlers = Executors.newCachedThreadPool();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/memory", this::resource);
        server.setExecutor(handlers);
        server.start();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path log = tmp.resolve(p + "host.log");
        String executionId = p + "crashed";
        try {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                    CrashHost.class.getName(), neo4j.boltURI().toString(), String.valueOf(server.getAddress().getPort()), p)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                // the handler counts down when the child's POST arrived and holds its answer: the change is in flight
                boolean arrived = applied.await(60, TimeUnit.SECONDS);
                assertThat(arrived).as("the child's patch reached the resource; its output:\n%s", output(log)).isTrue();
                child.destroyForcibly();
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
                killed.countDown();
            }
            assertThat(posts).containsExactly("512Mi");

            // the dead host's execution is in the graph, running, with its intent written ahead of the change
            try (var s = driver.session()) {
                var row = s.run("MATCH (e:RunbookExecution {id: $id}) RETURN e.status AS status, e.owner AS owner, "
                        + "e.lease_expires_at - datetime.realtime().epochMillis AS left, "
                        + "[(e)-[:JOURNALED]->(i:RunbookJournalIntent) | i.step] AS intents", Map.of("id", executionId)).single();
                assertThat(row.get("status").asString()).isEqualTo("running");
                assertThat(row.get("owner").asString()).isEqualTo("crash-host");
                assertThat(row.get("intents").asList()).containsExactly("patch");
                // nobody renews the dead host's 2 s lease any more: one bounded wait for it to run out (database clock)
                long left = Math.max(0, row.get("left").asLong()) + 50;
                assertThat(left).isLessThan(2_100);
                Thread.sleep(left);
            }

            try (RunbookEngine survivor = CrashRunbook.engine(driver, server.getAddress().getPort(), p, "survivor",
                    Duration.ofSeconds(30)).build()) {
                List<Execution> recovered = survivor.recover().stream().filter(e -> e.id().startsWith(p)).toList();

                assertThat(recovered).singleElement().satisfies(e -> {
                    assertThat(e.id()).isEqualTo(executionId);
                    assertThat(e.status()).isEqualTo(ExecutionStatus.RECOVERED_ROLLED_BACK);
                    assertThat(e.error()).hasValueSatisfying(m -> assertThat(m).contains("(crash-host) died at step 'patch'"));
                    assertThat(e.steps()).extracting(st -> st.name()).containsExactly("read");
                    assertThat(e.actionsTaken()).contains("step 'patch' attempt 1 was started by crash-host");
                    assertThat(e.rollbackSteps()).singleElement()
                            .satisfies(st -> assertThat(st.params()).containsEntry("memory", "256Mi"));
                });
                // the rollback reached the resource with the value journaled before the change
                assertThat(posts).containsExactly("512Mi", "256Mi");
                assertThat(memory.get()).isEqualTo("256Mi");
                assertRecord(driver, executionId);
                assertThat(survivor.recover()).noneMatch(e -> e.id().startsWith(p));

                // its locks are free: a new incident on the same pod is not refused by dedupe
                assertThat(survivor.handle(CrashRunbook.incident(p, "incident-2")).status())
                        .isEqualTo(ExecutionStatus.SUCCEEDED);
                // and the dead execution still counts: max_executions_per_hour 2 is now reached
                Execution third = survivor.handle(CrashRunbook.incident(p, "incident-3"));
                assertThat(third.status()).isEqualTo(ExecutionStatus.DENIED);
                assertThat(third.denial().orElseThrow().reason())
                        .startsWith("max_executions_per_hour 2 for runbook " + p + "memory-fix reached");
            }
        } finally {
            server.stop(0);
            handlers.shutdownNow();
        }
    }

    /** The graph's record of the recovered execution: one node, final status, its steps and both intents. */
    private static void assertRecord(Driver driver, String id) {
        try (var s = driver.session()) {
            var row = s.run("""
                    MATCH (e:RunbookExecution {id: $id})
                    RETURN count(e) AS n, collect(e.status) AS status, collect(e.lease_expires_at) AS lease,
                           COLLECT { MATCH (e)-[:HAS_STEP]->(st:RunbookStep) RETURN st.phase + ':' + st.name
                                     ORDER BY st.phase, st.index } AS steps,
                           COLLECT { MATCH (e)-[:JOURNALED]->(i:RunbookJournalIntent)
                                     RETURN i.step + ':' + i.rollback ORDER BY i.seq } AS intents
                    """, Map.of("id", id)).single();
            assertThat(row.get("n").asLong()).isEqualTo(1);
            assertThat(row.get("status").asList()).containsExactly("recovered_rolled_back");
            assertThat(row.get("lease").asList()).isEmpty();
            assertThat(row.get("steps").asList()).containsExactly("real:read", "rollback:revert");
            assertThat(row.get("intents").asList()).containsExactly("patch:false", "revert:true");
        }
    }

    /** GET gives the current value; POST sets it. The first POST (the child's) is held until the child is dead. */
    private void resource(HttpExchange ex) throws IOException {
        try (ex) {
            if (ex.getRequestMethod().equals("POST")) {
                String value = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                memory.set(value);
                posts.add(value);
                if (posts.size() == 1) {
                    applied.countDown();
                    killed.await(60, TimeUnit.SECONDS);
                }
                ex.sendResponseHeaders(204, -1);
            } else {
                byte[] body = memory.get().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String output(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
