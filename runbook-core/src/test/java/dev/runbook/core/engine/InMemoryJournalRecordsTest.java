package dev.runbook.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.engine.ExecutionJournal.ActionRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory journal's action records: kept per kind and key, numbered per kind, plain values only. */
class InMemoryJournalRecordsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private final InMemoryExecutionJournal journal = new InMemoryExecutionJournal();

    @Test
    void recordsAreKeptPerKindAndKeyOldestFirstAndRemovedBySequence() {
        long a = journal.putRecord("docker", "container:web", "exec-1", T0, Map.of("level", "info"));
        long b = journal.putRecord("docker", "container:db", "exec-1", T0, Map.of("level", "info"));
        long c = journal.putRecord("docker", "container:web", "exec-2", T0.plusSeconds(1), Map.of("level", "debug"));
        long other = journal.putRecord("k8s", "container:web", "exec-2", T0, Map.of("level", "x"));
        assertThat(List.of(a, b, c)).isSorted().doesNotHaveDuplicates();
        assertThat(other).as("numbered per kind").isEqualTo(1L);

        assertThat(journal.records("docker", "container:web")).containsExactly(
                new ActionRecord(a, "docker", "container:web", "exec-1", T0, Map.of("level", "info")),
                new ActionRecord(c, "docker", "container:web", "exec-2", T0.plusSeconds(1), Map.of("level", "debug")));
        journal.removeRecords("docker", List.of(a, 999L));
        assertThat(journal.records("docker", "container:web")).extracting(ActionRecord::sequence).containsExactly(c);
        assertThat(journal.records("k8s", "container:web")).hasSize(1);
    }

    @Test
    void valuesAreCopiedDeeplyImmutableWithWholeNumbersAsLong() {
        var nested = new HashMap<String, Object>();
        nested.put("pids", 2048);
        nested.put("list", new java.util.ArrayList<>(List.of(1, 2.5f, true)));
        journal.putRecord("docker", "k", "exec-1", T0, Map.of("n", nested));
        nested.put("pids", 1);

        Map<String, Object> back = journal.records("docker", "k").get(0).value();
        assertThat(back).isEqualTo(Map.of("n", Map.of("pids", 2048L, "list", List.of(1L, 2.5, true))));
        assertThatThrownBy(() -> back.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aValueThatIsNotPlainIsRefusedNamingWhereAndNothingIsKept() {
        var withNull = new HashMap<String, Object>();
        withNull.put("previous", null);
        assertThatThrownBy(() -> journal.putRecord("docker", "k", "exec-1", T0, Map.of("spec", withNull)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("docker record.spec.previous: null (leave the key out instead)");
        assertThatThrownBy(() -> journal.putRecord("docker", "k", "exec-1", T0, Map.of("at", List.of(T0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("docker record.at[0]: java.time.Instant is not a plain value");
        assertThat(journal.records("docker", "k")).isEmpty();
    }
}
