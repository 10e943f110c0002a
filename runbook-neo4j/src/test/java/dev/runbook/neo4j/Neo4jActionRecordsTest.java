package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.engine.ExecutionJournal.ActionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neo4j.driver.Driver;

/**
 * The execution journal's action records (what Docker's JournalContainerHistory keeps) in the real Neo4j: written
 * durably and read back equal by any journal on the database, numbered per kind without duplicates under concurrent
 * writers, removed exactly, and refused when the value is not plain.
 */
@Neo4jTest
class Neo4jActionRecordsTest {
    /** A kind of this test run only: the harness is shared, the counters are per kind. */
    private final String kind = "test.records-" + UUID.randomUUID();
    private final Instant t0 = Instant.parse("2026-03-01T12:00:00Z");

    @AfterEach
    void forgetThisTestsRecords(Driver driver) {
        try (var s = driver.session()) {
            s.run("MATCH (r:RunbookActionRecord {kind: $k}) DETACH DELETE r", Map.of("k", kind)).consume();
            s.run("MATCH (c:RunbookActionRecordSequence {kind: $k}) DETACH DELETE c", Map.of("k", kind)).consume();
        }
    }

    private static Neo4jExecutionJournal journal(Driver d) {
        return Neo4jExecutionJournal.builder().driver(d).build();
    }

    private static Map<String, Object> value(String level) {
        return Map.of("action", "update-env-vars", "previous", List.of(Map.of("env", Map.of("LOG_LEVEL", level),
                "memoryBytes", 64L << 20, "running", true, "ratio", 0.25, "cmd", List.of("sh", "-c", "x \"y\"\n"))));
    }

    @Test
    void recordsAreReadBackEqualByAnotherJournalOnTheDatabaseOldestFirst(Driver d) {
        var writer = journal(d);
        long first = writer.putRecord(kind, "container:web", "exec-1", t0, value("info"));
        writer.putRecord(kind, "container:db", "exec-1", t0, value("info"));
        long second = writer.putRecord(kind, "container:web", "exec-2", t0.plusMillis(1500), value("debug"));
        assertThat(second).isGreaterThan(first);

        // another journal (another host after this one died) reads what the first wrote
        var reader = journal(d);
        assertThat(reader.records(kind, "container:web")).containsExactly(
                new ActionRecord(first, kind, "container:web", "exec-1", t0, value("info")),
                new ActionRecord(second, kind, "container:web", "exec-2", t0.plusMillis(1500), value("debug")));
        assertThat(reader.records(kind, "container:nothing")).isEmpty();
        assertThat(reader.records("other." + kind, "container:web")).isEmpty();
    }

    @Test
    void removalForgetsExactlyTheGivenSequencesAndIsIdempotent(Driver d) {
        var j = journal(d);
        long a = j.putRecord(kind, "container:web", "exec-1", t0, value("info"));
        long b = j.putRecord(kind, "container:web", "exec-2", t0, value("debug"));
        j.removeRecords(kind, List.of(b));
        j.removeRecords(kind, List.of(b));
        j.removeRecords(kind, List.of());
        // another kind's record with the same sequence is not touched
        j.removeRecords("other." + kind, List.of(a));
        assertThat(j.records(kind, "container:web")).extracting(ActionRecord::sequence).containsExactly(a);
        long c = j.putRecord(kind, "container:web", "exec-3", t0, value("warn"));
        assertThat(c).as("a removed sequence is not given again").isGreaterThan(b);
    }

    @Test
    @Timeout(60)
    void concurrentWritersOfOneKindGetDistinctSequences(Driver d) throws Exception {
        var j = journal(d);
        var pool = Executors.newFixedThreadPool(8);
        try {
            var calls = new ArrayList<Callable<Long>>();
            for (int i = 0; i < 40; i++) {
                String key = "container:c" + (i % 4);
                calls.add(() -> j.putRecord(kind, key, "exec", t0, value("info")));
            }
            var sequences = new HashSet<Long>();
            for (Future<Long> f : pool.invokeAll(calls)) {
                sequences.add(f.get());
            }
            assertThat(sequences).hasSize(40);
            long stored = 0;
            for (int k = 0; k < 4; k++) {
                stored += j.records(kind, "container:c" + k).size();
            }
            assertThat(stored).isEqualTo(40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aValueThatIsNotPlainIsRefusedBeforeAnythingIsWritten(Driver d) {
        var j = journal(d);
        var withNull = new java.util.HashMap<String, Object>();
        withNull.put("previous", null);
        assertThatThrownBy(() -> j.putRecord(kind, "container:web", "exec-1", t0, withNull))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("previous: null");
        assertThatThrownBy(() -> j.putRecord(kind, "container:web", "exec-1", t0, Map.of("at", t0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.time.Instant is not a plain value");
        assertThat(j.records(kind, "container:web")).isEmpty();
    }

    @Test
    void theSchemaHasTheRecordsConstraintsAndIndex(Driver d) {
        journal(d);
        try (var s = d.session()) {
            var constraints = s.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties").list(r -> r.get("labelsOrTypes")
                    .asList().toString() + r.get("properties").asList());
            assertThat(constraints).contains("[RunbookActionRecord][id]", "[RunbookActionRecordSequence][kind]");
            var indexes = s.run("SHOW INDEXES YIELD labelsOrTypes, properties, state "
                    + "WHERE labelsOrTypes IS NOT NULL").list(r -> r.get("labelsOrTypes")
                    .asList().toString() + r.get("properties").asList() + r.get("state").asString());
            assertThat(indexes).contains("[RunbookActionRecord][kind, key]ONLINE");
        }
    }
}
