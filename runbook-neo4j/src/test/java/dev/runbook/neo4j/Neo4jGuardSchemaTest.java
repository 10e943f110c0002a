package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * The store's schema is created when it is built: a constraint that cannot be created fails the build with the
 * statement, Neo4j's message and the fix; hosts creating it at the same moment all succeed. These tests drop the
 * shared database's guard schema and leave it created again (test classes run one after another).
 */
@Neo4jTest
class Neo4jGuardSchemaTest {
    private static final List<String> DROPS = List.of(
            "DROP CONSTRAINT runbook_guard_key IF EXISTS",
            "DROP INDEX runbook_guard_key_keep_until IF EXISTS",
            "DROP INDEX runbook_guard_event_key_at IF EXISTS",
            "DROP INDEX runbook_guard_event_id IF EXISTS");

    private static void dropSchema(Driver driver) {
        try (var s = driver.session()) {
            DROPS.forEach(d -> s.run(d).consume());
        }
    }

    private static boolean keyConstraintExists(Driver driver) {
        try (var s = driver.session()) {
            return s.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type").list().stream()
                    .anyMatch(r -> r.get("labelsOrTypes").asList().equals(List.of("RunbookGuardKey"))
                            && r.get("properties").asList().equals(List.of("key")));
        }
    }

    /** The guard store's online indexes (the constraint's own index included), by name. */
    private static List<String> onlineGuardIndexes(Driver driver) {
        var ours = List.of("runbook_guard_key", "runbook_guard_key_keep_until", "runbook_guard_event_key_at",
                "runbook_guard_event_id");
        try (var s = driver.session()) {
            return s.run("SHOW INDEXES YIELD name, state").list().stream()
                    .filter(r -> ours.contains(r.get("name").asString()) && r.get("state").asString().equals("ONLINE"))
                    .map(r -> r.get("name").asString()).toList();
        }
    }

    @Test
    void duplicateKeyNodesFailTheBuildNamingTheStatementAndTheFix(Driver driver) {
        String key = "dup-" + UUID.randomUUID();
        dropSchema(driver);
        try (var s = driver.session()) {
            s.run("CREATE (:RunbookGuardKey {key: $k}), (:RunbookGuardKey {key: $k})", Map.of("k", key)).consume();
        }
        try {
            assertThatThrownBy(() -> Neo4jGuardStore.builder().driver(driver).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Neo4jGuardStore cannot work without its schema")
                    .hasMessageContaining("`CREATE CONSTRAINT runbook_guard_key IF NOT EXISTS FOR (g:RunbookGuardKey) "
                            + "REQUIRE g.key IS UNIQUE` failed and the constraint does not exist")
                    // Neo4j's own words name the duplicated value
                    .hasMessageContaining(key)
                    .hasMessageContaining("Fix: if Neo4j reports nodes with the same key, remove the duplicate "
                            + ":RunbookGuardKey nodes");
            assertThat(keyConstraintExists(driver)).isFalse();
        } finally {
            try (var s = driver.session()) {
                s.run("MATCH (g:RunbookGuardKey {key: $k}) DETACH DELETE g", Map.of("k", key)).consume();
            }
        }
        // the fix works: with the duplicates gone, the build creates the constraint
        Neo4jGuardStore.builder().driver(driver).build();
        assertThat(keyConstraintExists(driver)).isTrue();
    }

    @Test
    void hostsCreatingTheSchemaAtOnceAllSucceed(Driver driver) throws Exception {
        dropSchema(driver);
        assertThat(keyConstraintExists(driver)).isFalse();
        int hosts = 8;
        CountDownLatch ready = new CountDownLatch(hosts);
        CountDownLatch go = new CountDownLatch(1);
        var failures = new ConcurrentLinkedQueue<Throwable>();
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < hosts; i++) {
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    Neo4jGuardStore.builder().driver(driver).build();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        ready.await();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(keyConstraintExists(driver)).isTrue();
        assertThat(onlineGuardIndexes(driver)).containsExactlyInAnyOrder("runbook_guard_key",
                "runbook_guard_key_keep_until");
    }
}
